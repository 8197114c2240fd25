package tasn.data;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import tasn.config.DataConfig;
import tasn.config.UsageException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The list layout: a CSV (comma) or TSV (tab) file with a header naming the columns
 * {@code path} and {@code label}, and optionally {@code split} (train, val or validation,
 * test; empty means "by hash"); other columns are ignored. A file ending in .tsv or .tab is
 * read as TSV, one ending in .csv as CSV, anything else by whether its header has a tab.
 * A path is absolute (with or without a scheme such as hdfs://) or relative to the list
 * file's folder; that path as written is the image's identity. A row with an empty path,
 * an empty label or an unknown split is listed and rejected ({@code empty-path},
 * {@code empty-label}, {@code unknown-split}); a path with no image extension is ignored.
 */
final class FileListListing {
    private FileListListing() {
    }

    static ImageListing list(String input, Configuration hadoop, DataConfig data, long seed) {
        FileStatus status = InputPaths.status(input, hadoop);
        if (status.isDirectory()) {
            throw new UsageException("--input " + input + ": is a folder; the list layout needs a CSV or TSV file "
                    + "with a header path,label[,split]");
        }
        Path listFile = status.getPath();
        Path base = listFile.getParent();
        try {
            FileSystem fs = listFile.getFileSystem(hadoop);
            ListingBuilder builder = new ListingBuilder(base.toString());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(listFile), StandardCharsets.UTF_8))) {
                reader.mark(1 << 16);
                String header = reader.readLine();
                reader.reset();
                if (header == null || header.isBlank()) {
                    throw new UsageException("--input " + input + ": the list file is empty; it needs a header path,label[,split]");
                }
                char delimiter = delimiter(listFile.getName(), header);
                CSVFormat format = CSVFormat.DEFAULT.builder()
                        .setDelimiter(delimiter)
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true)
                        .setIgnoreEmptyLines(true)
                        .setAllowMissingColumnNames(true)
                        .build();
                try (CSVParser parser = format.parse(reader)) {
                    Map<String, Integer> columns = parser.getHeaderMap();
                    String pathColumn = column(columns, "path", input, delimiter);
                    String labelColumn = column(columns, "label", input, delimiter);
                    String splitColumn = columns.keySet().stream()
                            .filter(c -> c.trim().equalsIgnoreCase("split")).findFirst().orElse(null);
                    for (CSVRecord row : parser) {
                        add(row, pathColumn, labelColumn, splitColumn, listFile, base, builder);
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new UsageException("--input " + input + ": cannot parse the list file: " + e.getMessage());
                }
            }
            return builder.build(null, seed, data.valFraction());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --input " + input + ": " + e.getMessage(), e);
        }
    }

    private static void add(CSVRecord row, String pathColumn, String labelColumn, String splitColumn,
                            Path listFile, Path base, ListingBuilder builder) {
        String written = value(row, pathColumn);
        String label = value(row, labelColumn);
        String splitValue = splitColumn == null ? "" : value(row, splitColumn);
        if (written.isEmpty()) {
            String where = listFile + ":" + row.getRecordNumber();
            builder.add(where, where, label.isEmpty() ? null : label, null, "empty-path");
            return;
        }
        Path file = resolve(written, base);
        if (!ImageExtensions.isImage(file.getName())) {
            builder.ignore();
            return;
        }
        Split split = splitValue.isEmpty() ? null : Split.fromKey(splitValue);
        String reason = null;
        if (label.isEmpty()) {
            reason = "empty-label";
        } else if (!splitValue.isEmpty() && split == null) {
            reason = "unknown-split";
        }
        builder.add(file.toString(), written, label.isEmpty() ? null : label, split, reason);
    }

    /** An absolute path (or URI) as it is, qualified by the list file's file system when it has no scheme. */
    private static Path resolve(String written, Path base) {
        Path path = new Path(written);
        URI uri = path.toUri();
        if (uri.getScheme() != null) {
            return path;
        }
        URI baseUri = base.toUri();
        if (path.isAbsolute()) {
            return new Path(baseUri.getScheme(), baseUri.getAuthority(), uri.getPath());
        }
        return new Path(base, path);
    }

    private static char delimiter(String fileName, String header) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return '\t';
        }
        if (name.endsWith(".csv")) {
            return ',';
        }
        return header.indexOf('\t') >= 0 ? '\t' : ',';
    }

    private static String column(Map<String, Integer> columns, String wanted, String input, char delimiter) {
        return columns.keySet().stream().filter(c -> c != null && c.trim().equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new UsageException("--input " + input + ": the list file's header has no '" + wanted
                        + "' column (found " + String.join(delimiter == '\t' ? "<tab>" : ",", columns.keySet())
                        + "); the list layout needs a header path,label[,split]"));
    }

    private static String value(CSVRecord row, String column) {
        return row.isSet(column) ? row.get(column).strip() : "";
    }
}
