package tasn.train;

/** The loss or a parameter became NaN or infinite; the message names the epoch and iteration. */
public class TrainingDiverged extends RuntimeException {
    public TrainingDiverged(String message) {
        super(message);
    }
}
