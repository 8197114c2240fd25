package tasn.data;

import java.io.Serializable;

/**
 * One source file the listing found, as the executors receive it.
 *
 * @param path         the fully qualified file path (a Hadoop URI string), as written in rejects.csv
 * @param relativePath the path relative to the input root (or as the list file wrote it): the
 *                     image's stable identity, hashed into {@link #id}
 * @param id           {@link ImageId#of} the relative path
 * @param labelName    the class name, or null when the listing found none
 * @param label        the class index in dataset.json's {@code classes}, or -1 without a class
 * @param split        the split the image belongs to (already resolved, never null)
 * @param rejectReason null for an image to decode; otherwise why the listing already rejected it
 *                     (for example {@code empty-label}), so that it is counted and reported like
 *                     any other reject
 */
public record ListedImage(String path, String relativePath, String id, String labelName, int label,
                          Split split, String rejectReason) implements Serializable {
}
