package dev.quant4j.safetensors.ct;

import java.util.List;

/**
 * compressed-tensors' {@code QuantizationArgs} (compressed-tensors 0.18.0, quant_args.py) after its validator has
 * filled the defaults: what {@code model_dump()} writes into config.json.
 *
 * @param numBits        bits per value
 * @param type           {@code int} or {@code float}
 * @param symmetric      no zero point
 * @param groupSize      group length for {@code group}, else null
 * @param strategy       tensor, channel, group, block or token
 * @param blockStructure [rows, cols] for {@code block}, else null
 * @param dynamic        computed at run time (activations)
 * @param observer       {@code memoryless_minmax} for static args, null for dynamic ones
 */
public record QuantArgs(int numBits, String type, boolean symmetric, Integer groupSize, String strategy,
                        List<Integer> blockStructure, boolean dynamic, String observer) {
    static QuantArgs weights(int bits, String type, boolean symmetric, Integer group, String strategy, List<Integer> block) {
        return new QuantArgs(bits, type, symmetric, group, strategy, block, false, "memoryless_minmax");
    }

    static QuantArgs dynamicActivations(int bits, String type, Integer group, String strategy) {
        return new QuantArgs(bits, type, true, group, strategy, null, true, null);
    }

    /** The zero-point dtype as serialized: null when symmetric, else the torch dtype of the values. */
    String zpDtype() {
        if (symmetric) {
            return null;
        }
        return type.equals("float") ? "torch.float8_e4m3fn" : "torch.int8";
    }

    /** As config.json holds it (keys sorted as json.dump(sort_keys=True) writes them). */
    String toJson(String indent) {
        String in = indent + "  ";
        return "{\n"
                + in + "\"actorder\": null,\n"
                + in + "\"block_structure\": " + (blockStructure == null ? "null" : "[\n" + in + "  "
                        + blockStructure.get(0) + ",\n" + in + "  " + blockStructure.get(1) + "\n" + in + "]") + ",\n"
                + in + "\"dynamic\": " + dynamic + ",\n"
                + in + "\"group_size\": " + groupSize + ",\n"
                + in + "\"num_bits\": " + numBits + ",\n"
                + in + "\"observer\": " + (observer == null ? "null" : "\"" + observer + "\"") + ",\n"
                + in + "\"observer_kwargs\": {},\n"
                + in + "\"scale_dtype\": null,\n"
                + in + "\"strategy\": \"" + strategy + "\",\n"
                + in + "\"symmetric\": " + symmetric + ",\n"
                + in + "\"type\": \"" + type + "\",\n"
                + in + "\"zp_dtype\": " + (zpDtype() == null ? "null" : "\"" + zpDtype() + "\"") + "\n"
                + indent + "}";
    }
}
