package tasn.model;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Align-corners bilinear resize of (N, C, H, W) maps to (N, C, S, S) as {@code Wy . X_c . Wx^T},
 * and its transpose for back-propagation. The weight matrices are built once per input shape
 * and data type and kept outside every workspace, so a vertex can hold one of these for life.
 */
final class AlignCornersResize {

    private final int size;
    private INDArray rowWeights;     // (S, H)
    private INDArray columnWeights;  // (S, W)

    AlignCornersResize(int size) {
        this.size = size;
    }

    /** (N, C, H, W) -> (N, C, S, S), in the current workspace. */
    INDArray resize(INDArray x) {
        prepare(x);
        return SeparableSampling.sample(x, rowWeights, columnWeights);
    }

    /** The transpose of {@link #resize} for input {@code x}: (N, C, S, S) epsilons -> (N, C, H, W). */
    INDArray transpose(INDArray epsilon, INDArray x) {
        prepare(x);
        return SeparableSampling.sample(epsilon.castTo(x.dataType()), rowWeights.transpose(), columnWeights.transpose());
    }

    private void prepare(INDArray x) {
        int h = (int) x.size(2), w = (int) x.size(3);
        if (rowWeights != null && rowWeights.size(1) == h && columnWeights.size(1) == w
                && rowWeights.dataType() == x.dataType()) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            rowWeights = SeparableSampling.weightMatrix(SeparableSampling.alignCornersPositions(size, h), h, x.dataType());
            columnWeights = SeparableSampling.weightMatrix(SeparableSampling.alignCornersPositions(size, w), w,
                    x.dataType());
        }
    }
}
