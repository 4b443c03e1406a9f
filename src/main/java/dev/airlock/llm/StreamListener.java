package dev.airlock.llm;

/** Receives a reply while it streams. Called on the provider's thread; must not block for long. */
@FunctionalInterface
public interface StreamListener {
    StreamListener NONE = text -> { };

    /** A piece of the reply's text, in order. */
    void onText(String delta);
}
