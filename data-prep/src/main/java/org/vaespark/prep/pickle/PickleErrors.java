package org.vaespark.prep.pickle;

import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;

/** The pickle reader's errors, all built by {@link Errors#corruptFile}; {@code where} is "byte N". */
final class PickleErrors {
    static final String DAMAGED_FIX = "the file is damaged or is not a Python pickle; download the official dataset file again";

    private PickleErrors() {
    }

    static VaeException corrupt(String name, long offset, String what) {
        return Errors.corruptFile(name, "byte " + offset, what, DAMAGED_FIX);
    }

    static VaeException corrupt(String name, long offset, String what, Throwable cause) {
        return Errors.corruptFile(name, "byte " + offset, what, DAMAGED_FIX, cause);
    }

    /** A global (class or function) outside the allow-list: the classic {@code __reduce__} attack. */
    static VaeException forbiddenGlobal(String name, long offset, String module, String qualname) {
        return Errors.corruptFile(name, "byte " + offset, "the pickle asks to build '" + module + "." + qualname
                        + "', which is not allowed: only dicts, lists, strings, numbers and numpy arrays are read",
                "use the official dataset files; never load pickles from untrusted sources");
    }

    /** A construct that is safe but outside what the dataset readers need. */
    static VaeException unsupported(String name, long offset, String what) {
        return Errors.corruptFile(name, "byte " + offset, what + ", which this reader does not support",
                "only dicts, lists, strings, numbers and plain numpy arrays are read; re-save the data with those types");
    }
}
