package tasn.data;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects what a layout lists and turns it into an {@link ImageListing}: class indexes,
 * resolved splits (see {@link ImageListing} for the rules), stable ids, a stable order, and
 * a {@code duplicate} reject for a file listed twice.
 */
final class ListingBuilder {
    private record Entry(String path, String relativePath, String labelName, Split split, String rejectReason) {
    }

    private final String root;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> seenPaths = new HashSet<>();
    private long ignored;

    ListingBuilder(String root) {
        this.root = root;
    }

    /** A file without an image extension: counted, not listed. */
    void ignore() {
        ignored++;
    }

    /**
     * Lists one image file. {@code split} null means "choose by hash"; a non-null
     * {@code rejectReason} lists it as already rejected.
     */
    void add(String path, String relativePath, String labelName, Split split, String rejectReason) {
        String reason = rejectReason;
        if (!seenPaths.add(path) && reason == null) {
            reason = "duplicate";
        }
        entries.add(new Entry(path, relativePath, labelName, split, reason));
    }

    /**
     * Builds the listing. {@code declaredClasses} (CUB's classes.txt) fixes the class list;
     * null takes the classes the entries name.
     */
    ImageListing build(List<String> declaredClasses, long seed, double valFraction) {
        Set<String> names = new TreeSet<>();
        if (declaredClasses != null) {
            names.addAll(declaredClasses);
        } else {
            for (Entry e : entries) {
                if (e.labelName() != null) {
                    names.add(e.labelName());
                }
            }
        }
        List<String> classes = classOrder(names);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        boolean inputHasVal = entries.stream().anyMatch(e -> e.split() == Split.VAL);
        List<ListedImage> images = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Split split = e.split();
            if (split == null || (split == Split.TRAIN && !inputHasVal)) {
                split = ValidationSplit.isValidation(seed, e.relativePath(), valFraction) ? Split.VAL : Split.TRAIN;
            }
            int label = e.labelName() == null ? -1 : index.getOrDefault(e.labelName(), -1);
            String reason = e.rejectReason();
            if (reason == null && label < 0) {
                reason = "unknown-class";
            }
            images.add(new ListedImage(e.path(), e.relativePath(), ImageId.of(e.relativePath()),
                    e.labelName(), label, split, reason));
        }
        images.sort(Comparator.comparing(ListedImage::relativePath).thenComparing(ListedImage::path));
        return new ImageListing(root, List.copyOf(images), classes, ignored);
    }

    /** Sorted class names: numerically when every name is an integer, else by string. */
    static List<String> classOrder(Set<String> names) {
        List<String> sorted = new ArrayList<>(names);
        boolean allIntegers = !sorted.isEmpty() && sorted.stream().allMatch(n -> n.matches("-?\\d+"));
        if (allIntegers) {
            sorted.sort(Comparator.comparing((String n) -> new BigInteger(n)).thenComparing(Comparator.naturalOrder()));
        } else {
            sorted.sort(Comparator.naturalOrder());
        }
        return sorted;
    }
}
