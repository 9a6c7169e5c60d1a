package io.jenkins.plugins.nestedvirt.steps;

/** The engine's exit codes in words, for the message a failed step ends with. */
public final class EngineExit {

    private EngineExit() {
    }

    /** What exit code {@code code} of {@code step} means (see {@code nvmx --help}). */
    public static String describe(String step, int code, String why) {
        if (why != null) {
            return step + " failed: " + why;
        }
        String meaning = switch (code) {
            case 1 -> "a benchmark failed; the others were recorded";
            case 2 -> "bad input: a parameter or a value in it is wrong; nothing ran";
            case 3 -> "a host could not be reached or verified, or a guest did not come up";
            case 4 -> "preflight found a problem that makes results meaningless";
            case 5 -> "teardown left something behind (listed in the log above)";
            case 6 -> "a regression against the baseline";
            case 7 -> "not supported on these hosts (the reason is in the log above)";
            case 130 -> "interrupted; what was measured so far is kept";
            default -> "internal error";
        };
        return step + " failed with exit code " + code + ": " + meaning + " (see the log above)";
    }
}
