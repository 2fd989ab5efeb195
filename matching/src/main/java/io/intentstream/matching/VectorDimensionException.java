package io.intentstream.matching;

/**
 * The encoder returned a vector of another length than it declares: the model is broken, not the
 * text.
 */
public final class VectorDimensionException extends IllegalStateException {

    public VectorDimensionException(int actual, int expected) {
        super("the encoder returned a vector of length " + actual + ", expected " + expected);
    }
}
