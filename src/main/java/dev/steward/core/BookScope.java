package dev.steward.core;

/**
 * Whether the person making the current request may change accounts of every book, which a request that crosses books
 * as a whole needs (a bulk load, an import). Implemented by the module that knows accounts' owners; work no person
 * asked for (a scheduled job, the demo loader) may always.
 */
public interface BookScope {

    /** Refuses with {@link OutsideBookException} unless the current person may change every account; {@code what} names the request in the refusal ("a bulk load"). */
    void requireEveryBook(String what);
}
