package tasn.config;

/**
 * A configuration or command-line value that cannot be used. The message names the key or
 * option and says what to do; the program exits with code 2 for it (DESIGN.md, exit codes).
 */
public class ConfigException extends UsageException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
