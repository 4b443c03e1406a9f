package dev.airlock.redact;

/** A range of the input to replace, and the detector that asked for it. Never holds the text. */
final class Span {
    final int start;
    final int end;
    final String type;
    /** Lower wins when two detectors claim overlapping text: specific formats beat generic ones. */
    final int rank;
    /** A key block whose end marker has not been seen: a stream must hold it back. */
    final boolean open;

    Span(int start, int end, String type, int rank, boolean open) {
        this.start = start;
        this.end = end;
        this.type = type;
        this.rank = rank;
        this.open = open;
    }
}
