package dev.quant4j.lowbit.archfixtures;

/** Violates rule 5: a plugin writing to the console. */
public final class PrintingPlugin {
    public void report(Exception e) {
        System.out.println("done");
        e.printStackTrace();
    }
}
