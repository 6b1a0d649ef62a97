package dev.quant4j.api.error;

/** Closed set of domain failure kinds; the CLI maps them to exit codes. */
public enum ErrorCode {
    /** A name (quantizer, format, planner, type) that nothing provides. */
    UNKNOWN_NAME,
    /** Two providers claim one name. */
    DUPLICATE_NAME,
    /** A plugin compiled against another SPI level. */
    SPI_MISMATCH,
    /** A provider could not be instantiated. */
    PROVIDER_FAILED,
    /** An option value that does not validate. */
    INVALID_OPTION,
    /** A tensor whose shape a quantizer cannot take (e.g. row length not a multiple of the block). */
    UNSUPPORTED_SHAPE,
    /** A tensor type that no installed component can read or write. */
    UNSUPPORTED_TYPE,
    /** NaN or infinity in input weights. */
    NON_FINITE_INPUT,
    /** A method that needs calibration data (an importance matrix) ran without it. */
    MISSING_CALIBRATION,
    /** Input that is quantized already and requantization was not allowed. */
    ALREADY_QUANTIZED,
    /** A plan that cannot be carried out. */
    INVALID_PLAN,
    /** Anything reading or writing files. */
    IO
}
