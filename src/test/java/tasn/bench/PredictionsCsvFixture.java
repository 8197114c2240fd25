package tasn.bench;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tasn.score.PredictionSchema;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A predictions.csv in the score job's columns, for tests of the tools that read it. */
final class PredictionsCsvFixture {
    private PredictionsCsvFixture() {
    }

    /** Image i has the given label and prediction, head master; row {@code failedRow} (or none, -1) is a decode failure. */
    static Path write(Path file, int label, int[] predicted, int failedRow) throws IOException {
        List<String> header = List.of(PredictionSchema.SCHEMA.fieldNames());
        try (Writer w = Files.newBufferedWriter(file);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).build())) {
            for (int i = 0; i < predicted.length; i++) {
                Object[] row = new Object[header.size()];
                Arrays.fill(row, "");
                row[header.indexOf(PredictionSchema.ID)] = "img-" + i;
                row[header.indexOf(PredictionSchema.PATH)] = "/data/img-" + i + ".jpg";
                row[header.indexOf(PredictionSchema.LABEL)] = label;
                row[header.indexOf(PredictionSchema.HEAD)] = "master";
                if (i == failedRow) {
                    row[header.indexOf(PredictionSchema.ERROR)] = "decode-failed";
                } else {
                    row[header.indexOf(PredictionSchema.PREDICTION)] = predicted[i];
                }
                csv.printRecord(row);
            }
        }
        return file;
    }
}
