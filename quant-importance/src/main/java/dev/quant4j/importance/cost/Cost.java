package dev.quant4j.importance.cost;

/**
 * The estimated cost of writing one tensor in one type.
 *
 * @param type      the candidate's quantizer name (a ggml type name)
 * @param value     estimated Σ_columns imatrix_j · Σ_rows (w − ŵ)² over the whole tensor
 * @param stdError  standard error of {@code value} from row sampling (0 when every row was round-tripped)
 */
public record Cost(String type, double value, double stdError) {
    public Cost {
        if (!(value >= 0) || !(stdError >= 0)) {
            throw new IllegalArgumentException(type + ": cost " + value + " ± " + stdError);
        }
    }
}
