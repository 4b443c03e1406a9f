package dev.airlock.sandbox;

/** Which of the command's output streams a chunk came from. */
public enum OutputChannel {
    STDOUT,
    STDERR
}
