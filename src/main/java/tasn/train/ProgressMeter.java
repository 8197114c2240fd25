package tasn.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The driver's progress line: epoch, iteration, loss, images/s and the estimated time left,
 * printed every {@code log-every-iterations} minibatches and after every epoch.
 */
final class ProgressMeter {
    private final PrintStream out;
    private final int epochs;
    private final RoundLayout layout;
    private final long iterationsToDo;
    private long iterationsDone;
    private double secondsSpent;
    private long lastLogged;
    private int epoch;

    ProgressMeter(PrintStream out, int epochs, int startEpoch, RoundLayout layout) {
        this.out = out;
        this.epochs = epochs;
        this.layout = layout;
        this.iterationsToDo = (long) (epochs - startEpoch) * layout.iterationsPerEpoch();
    }

    void startEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** Records one averaging round; true when an iteration line is due. */
    boolean roundDone(long iteration, double loss, long images, double seconds, int every) {
        iterationsDone += layout.averagingFrequency();
        secondsSpent += seconds;
        if (iteration / every == lastLogged / every && iterationsDone < iterationsToDo) {
            return false;
        }
        lastLogged = iteration;
        out.printf("epoch %d/%d  iteration %d  loss %.4f  %.1f images/s  ETA %s%n", epoch, epochs, iteration, loss,
                images / seconds, eta());
        return true;
    }

    void epochDone(int epoch, double loss, double accuracy, String split) {
        out.printf("epoch %d/%d done  loss %.4f  %s top-1 %s  ETA %s%n", epoch, epochs, loss, split,
                Double.isNaN(accuracy) ? "-" : String.format("%.4f", accuracy), eta());
    }

    private String eta() {
        if (iterationsDone == 0) {
            return "-";
        }
        long left = Math.round(secondsSpent / iterationsDone * (iterationsToDo - iterationsDone));
        Duration d = Duration.ofSeconds(left);
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
