package io.sparkps.model;

/**
 * The label rules of the {@link TrainableModel.Task}s, shared by {@link
 * TrainableModel#checkLabel} and the models that must reject a bad label inside {@code gradient}.
 * Each check returns null for a valid label, otherwise the reason.
 */
final class Labels {

  private Labels() {}

  static String checkBinary(double label) {
    return label == 0.0 || label == 1.0 ? null : "label " + label + " is not 0 or 1";
  }

  static String checkClassIndex(double label, int numClasses) {
    if (label >= 0 && label < numClasses && label == Math.rint(label)) {
      return null;
    }
    return "label " + label + " is not a class index in [0, " + numClasses + ")";
  }

  static String checkFinite(double label) {
    return Double.isFinite(label) ? null : "label " + label + " is not finite";
  }

  /**
   * The class index of every label of {@code batch}.
   *
   * @throws IllegalArgumentException naming the first row whose label is not a class index
   */
  static int[] classIndices(Batch batch, int numClasses) {
    float[] labels = batch.labels();
    int[] classes = new int[labels.length];
    for (int r = 0; r < labels.length; r++) {
      String problem = checkClassIndex(labels[r], numClasses);
      if (problem != null) {
        throw new IllegalArgumentException("row " + r + " of the batch: " + problem);
      }
      classes[r] = (int) labels[r];
    }
    return classes;
  }

  /**
   * Checks that every label of {@code batch} is finite.
   *
   * @throws IllegalArgumentException naming the first row whose label is not
   */
  static void checkAllFinite(Batch batch) {
    float[] labels = batch.labels();
    for (int r = 0; r < labels.length; r++) {
      if (!Float.isFinite(labels[r])) {
        throw new IllegalArgumentException("row " + r + " of the batch: " + checkFinite(labels[r]));
      }
    }
  }
}
