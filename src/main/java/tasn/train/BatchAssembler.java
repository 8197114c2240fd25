package tasn.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.List;

/**
 * Turns shard rows into one minibatch on an executor: decode the pixels, subtract the data
 * set's channel mean (TASN.md: no std division; the first layer is a BatchNorm), and give
 * every output the one-hot labels ({@link OutputLabels}).
 */
public final class BatchAssembler implements Serializable {
    private final float[] channelMean;
    private final int numClasses;
    private final OutputLabels labels;

    public BatchAssembler(float[] channelMean, int numClasses, OutputLabels labels) {
        this.channelMean = channelMean.clone();
        this.numClasses = numClasses;
        this.labels = labels;
    }

    /** Features [N, 3, H, W], mean-subtracted, and the labels of every output. */
    public MultiDataSet assemble(List<ShardExample> rows) {
        INDArray features = features(rows);
        INDArray oneHot = oneHot(rows);
        INDArray[] labelArrays = new INDArray[labels.size()];
        java.util.Arrays.fill(labelArrays, oneHot);
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{features}, labelArrays);
    }

    public INDArray features(List<ShardExample> rows) {
        ShardExample first = rows.get(0);
        int h = first.height();
        int w = first.width();
        int plane = h * w;
        float[] data = new float[rows.size() * 3 * plane];
        for (int n = 0; n < rows.size(); n++) {
            ShardExample row = rows.get(n);
            if (row.height() != h || row.width() != w) {
                throw new IllegalArgumentException("image " + row.id() + " is " + row.height() + "x" + row.width()
                        + ", the batch is " + h + "x" + w + "; ingest every split with the same data.raw-size");
            }
            byte[] chw = ShardPixels.channelMajor(row);
            int base = n * 3 * plane;
            for (int c = 0; c < 3; c++) {
                float mean = channelMean[c];
                int offset = c * plane;
                for (int p = 0; p < plane; p++) {
                    data[base + offset + p] = (chw[offset + p] & 0xFF) - mean;
                }
            }
        }
        return Nd4j.create(data, new long[]{rows.size(), 3, h, w}, 'c');
    }

    public INDArray oneHot(List<ShardExample> rows) {
        INDArray oneHot = Nd4j.zeros(rows.size(), numClasses);
        for (int n = 0; n < rows.size(); n++) {
            int label = rows.get(n).label();
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("image " + rows.get(n).id() + " has label " + label + ", outside the "
                        + numClasses + " classes of dataset.json");
            }
            oneHot.putScalar(n, label, 1f);
        }
        return oneHot;
    }

    public OutputLabels labels() {
        return labels;
    }
}
