package tasn.train;

import org.apache.hadoop.fs.Path;
import tasn.config.ResumeChanges;
import tasn.config.TasnConfig;
import tasn.config.UsageException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a {@code --resume} command line may continue the run in RUN_DIR (docs/resume.md):
 * its configuration against the run's config.conf ({@link ResumeChanges}), the total epochs
 * and the learning-rate schedule against the epochs the checkpoint has done, and
 * {@code --baseline}, {@code --init} and the data's classes against what the checkpoint
 * records. Every conflict is reported in one usage error, each with both values.
 */
final class ResumeCheck {
    private ResumeCheck() {
    }

    /** What the command line gives besides its configuration. {@code init} is qualified, or null. */
    record Command(TasnConfig config, boolean baseline, String init, Path data, List<String> classes) {
    }

    /**
     * The changes the command makes that the run may take (operational keys, and schedule keys
     * that leave every trained epoch's learning rate as it was); throws a usage error naming
     * every conflict otherwise.
     */
    static List<ResumeChanges.Change> accepted(Path runDir, TasnConfig run, Checkpoints.Restored restored, Command command) {
        Checkpoints.State state = restored.state();
        List<ResumeChanges.Change> changes = ResumeChanges.between(run, command.config());
        List<String> conflicts = new ArrayList<>();
        List<ResumeChanges.Change> accepted = new ArrayList<>();
        for (ResumeChanges.Change change : changes) {
            switch (change.kind()) {
                case CONFLICT -> conflicts.add(change.toString());
                case OPERATIONAL -> accepted.add(change);
                case SCHEDULE -> { }
            }
        }
        List<ResumeChanges.Change> schedule = changes.stream().filter(c -> c.kind() == ResumeChanges.Kind.SCHEDULE).toList();
        if (!schedule.isEmpty()) {
            String problem = scheduleProblem(run, command.config(), state.epoch(), restored.directory());
            if (problem == null) {
                accepted.addAll(schedule);
            } else {
                schedule.forEach(c -> conflicts.add(c.toString()));
                conflicts.add("  " + problem);
            }
        }
        if (command.baseline() && !state.baseline()) {
            conflicts.add("--baseline: the run trains TASN, not the baseline (its checkpoint says baseline = false)");
        }
        if (command.init() != null && state.init() != null && !state.init().equals(command.init())) {
            conflicts.add("--init " + command.init() + ": the run started from "
                    + (state.init().isEmpty() ? "fresh weights, not from a saved model" : state.init())
                    + "; a resumed run takes its parameters from the checkpoint");
        }
        if (state.classes() != null && !state.classes().equals(command.classes())) {
            conflicts.add("--data " + command.data() + ": " + classesDiffer(state.classes(), command.classes()));
        }
        if (!conflicts.isEmpty()) {
            throw new UsageException("--resume: the command line conflicts with the run in " + runDir + " (its config.conf "
                    + "and checkpoint " + restored.directory().getName() + "):\n  " + String.join("\n  ", conflicts)
                    + "\nThese decide what the run computes and cannot change mid-run. Drop the options that change them "
                    + "(--resume alone continues the run with its own config.conf, mode and data), or train the change as a "
                    + "new run: another --output, or --overwrite instead of --resume to replace this one.");
        }
        return accepted;
    }

    /**
     * Why the command's epochs and schedule cannot continue a run that has done {@code done}
     * epochs, or null if they can: no fewer epochs than are done, and every done epoch at the
     * rate it ran at, so the resumed run is exactly a run started with the command's values.
     */
    static String scheduleProblem(TasnConfig run, TasnConfig command, int done, Path checkpoint) {
        if (command.train().epochs() < done) {
            return "the run has already trained " + done + " epochs (checkpoint " + checkpoint.getName() + "); give "
                    + "train.epochs (--epochs) of " + done + " or more";
        }
        LearningRateSchedule before = new LearningRateSchedule(run.train());
        LearningRateSchedule after = new LearningRateSchedule(command.train());
        for (int e = 0; e < done; e++) {
            double was = before.rate(e);
            double would = after.rate(e);
            if (!same(was, would)) {
                String schedule = command.train().schedule().key();
                String why = switch (command.train().schedule()) {
                    case COSINE, ONE_CYCLE -> "; with train.schedule = " + schedule + " every epoch's rate depends on "
                            + "train.epochs, so a run of another length is a new run (--init "
                            + new Path(checkpoint, "model.zip") + " starts one from this run's parameters)";
                    default -> "";
                };
                return "these would change the learning rate of epoch " + (e + 1) + ", already trained at "
                        + String.format(Locale.ROOT, "%.6g", was) + " (the command's schedule gives "
                        + String.format(Locale.ROOT, "%.6g", would) + ")" + why;
            }
        }
        return null;
    }

    private static boolean same(double a, double b) {
        return a == b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String classesDiffer(List<String> run, List<String> data) {
        if (run.size() != data.size()) {
            return "its " + data.size() + " classes are not the " + run.size() + " the run trains on ("
                    + shortList(data) + " against " + shortList(run) + ")";
        }
        for (int i = 0; i < run.size(); i++) {
            if (!run.get(i).equals(data.get(i))) {
                return "label " + i + " is class " + data.get(i) + " there but " + run.get(i) + " in the run";
            }
        }
        return "its classes differ from the run's";
    }

    private static String shortList(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", ... (" + names.size() + ")";
    }
}
