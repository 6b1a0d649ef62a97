package dev.quant4j.tck.selftest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModulePackagesAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ModuleDesc;
import java.lang.constant.PackageDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds fake compiled plugin outputs under {@code target/service-fixtures/NAME}: a module-info.class made
 * with the ClassFile API holding chosen {@code provides}, and chosen META-INF/services files.
 */
final class ServiceFixtureModules {
    static final String QUANTIZER_SPI = "dev.quant4j.api.spi.QuantizerProvider";

    private ServiceFixtureModules() {
    }

    /**
     * @param provides  service -> implementations for module-info, or null for no module-info.class
     * @param services  service -> lines of its META-INF/services file
     */
    static Path build(String name, Map<String, List<String>> provides, Map<String, List<String>> services) {
        try {
            Path dir = Path.of("target", "service-fixtures", name).toAbsolutePath();
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("module-info.class"));
            if (provides != null) {
                Files.write(dir.resolve("module-info.class"), moduleInfo(provides));
            }
            Path meta = dir.resolve("META-INF/services");
            Files.createDirectories(meta);
            try (var old = Files.list(meta)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (var e : services.entrySet()) {
                Files.write(meta.resolve(e.getKey()), e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] moduleInfo(Map<String, List<String>> provides) {
        Set<String> packages = new LinkedHashSet<>();
        provides.values().forEach(impls -> impls.forEach(i -> packages.add(i.substring(0, i.lastIndexOf('.')))));
        ModuleAttribute module = ModuleAttribute.of(ModuleDesc.of("dev.quant4j.servicefixture"), mb -> {
            mb.requires(ModuleDesc.of("java.base"), ClassFile.ACC_MANDATED, null);
            provides.forEach((service, impls) -> mb.provides(ClassDesc.of(service),
                    impls.stream().map(ClassDesc::of).toArray(ClassDesc[]::new)));
        });
        return ClassFile.of().buildModule(module, cb -> cb.with(ModulePackagesAttribute.ofNames(
                packages.stream().map(PackageDesc::of).toList())));
    }

    static List<String> lines(String... lines) {
        return Arrays.asList(lines);
    }
}
