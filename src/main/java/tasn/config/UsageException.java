package tasn.config;

/**
 * A command-line value that is wrong (a missing input, an output that exists without
 * {@code --overwrite}); the message names the option and what to do, and the exit code is 2.
 */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
