package io.sparkps.spark;

import io.sparkps.config.ClusterConfig;
import io.sparkps.config.OptimizerConfig;
import io.sparkps.model.TrainableModel;
import io.sparkps.param.ParamSpec;
import io.sparkps.param.SliceInfo;
import io.sparkps.param.SliceMap;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a committed checkpoint holds: the step it was taken at, the model it belongs to (its
 * identity: model class, param shapes by param index — param ids differ between fits —,
 * slicing, optimizer, topology, batch size) and the file of every slice. Its text is the
 * {@code MANIFEST} file of the checkpoint's directory, one {@code key=value} per line:
 *
 * <pre>
 * format=1
 * step=300
 * fit=5f0c...
 * millis=412
 * identity.model=io.sparkps.model.BinaryLogisticRegression
 * identity.param 0 (weights) of shape=123x1
 * ...
 * file.0.0=p0-s0.slice
 * </pre>
 *
 * @param millis from asking the slices for their copies to the last file written
 * @param identity what must be equal for a fit to resume from this checkpoint, in order
 * @param files per "param.offset" of a slice, its file name within the checkpoint directory
 */
record CheckpointManifest(long step, String fitId, long millis, Map<String, String> identity,
    Map<String, String> files) implements Serializable {
  static final int FORMAT = 1;
  static final String FILE_NAME = "MANIFEST";

  /** The identity of a fit of {@code model} on {@code slices}, without step or files. */
  static CheckpointManifest identityOf(TrainableModel model, SliceMap slices,
      ClusterConfig topology, OptimizerConfig optimizer, int batchSize) {
    Map<String, String> id = new LinkedHashMap<>();
    id.put("model", model.getClass().getName());
    id.put("number of params", Integer.toString(slices.params().size()));
    for (int p = 0; p < slices.params().size(); p++) {
      ParamSpec spec = slices.params().get(p);
      id.put("param " + p + " (" + spec.name() + ") of shape", spec.rows() + "x" + spec.cols());
    }
    id.put("servers per group", Integer.toString(topology.nServersPerGroup()));
    for (int p = 0; p < slices.params().size(); p++) {
      List<String> parts = new ArrayList<>();
      for (SliceInfo s : slices.slicesOf(p)) {
        parts.add(s.offset() + "+" + s.length());
      }
      id.put("slices (offset+length) of param " + p, String.join(",", parts));
    }
    id.put("optimizer", optimizer.toString());
    id.put("worker groups", Integer.toString(topology.nWorkerGroups()));
    id.put("workers per group", Integer.toString(topology.nWorkersPerGroup()));
    id.put("batch size", Integer.toString(batchSize));
    // One line per entry, split at its first '=': keys hold no '=', values no line break.
    Map<String, String> oneLine = new LinkedHashMap<>();
    id.forEach((k, v) -> oneLine.put(k.replace('=', ':').replace('\n', ' '),
        v.replace('\n', ' ')));
    return new CheckpointManifest(-1, "", -1, oneLine, Map.of());
  }

  /** The file name of a slice within its checkpoint directory. */
  static String fileName(SliceInfo slice) {
    return "p" + slice.param() + "-s" + slice.sliceId() + ".slice";
  }

  private static String fileKey(SliceInfo slice) {
    return slice.param() + "." + slice.offset();
  }

  /**
   * This identity, committed at {@code step} with the files of {@code slices}, written in
   * {@code writeMillis}.
   */
  CheckpointManifest committed(long atStep, String fit, long writeMillis,
      List<SliceInfo> slices) {
    Map<String, String> f = new LinkedHashMap<>();
    for (SliceInfo s : slices) {
      f.put(fileKey(s), fileName(s));
    }
    return new CheckpointManifest(atStep, fit, writeMillis, identity, f);
  }

  /**
   * The file of {@code slice} (by param index and offset).
   *
   * @throws IllegalStateException if the manifest lists none
   */
  String fileOf(SliceInfo slice) {
    String f = files.get(fileKey(slice));
    if (f == null) {
      throw new IllegalStateException("the checkpoint of step " + step + " lists no file for "
          + "param " + slice.param() + " at offset " + slice.offset());
    }
    return f;
  }

  /**
   * How this checkpoint's model differs from {@code fit}'s, said as "for X A, this fit's is
   * B", or null when it is the same model.
   */
  String differences(CheckpointManifest fit) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : identity.entrySet()) {
      String ours = fit.identity.get(e.getKey());
      if (!e.getValue().equals(ours)) {
        out.add(e.getKey() + " " + e.getValue() + ", this fit's " + (ours == null
            ? "has no " + e.getKey() : "is " + ours));
      }
    }
    for (String key : fit.identity.keySet()) {
      if (!identity.containsKey(key)) {
        out.add("no " + key + ", this fit's is " + fit.identity.get(key));
      }
    }
    return out.isEmpty() ? null : String.join("; for ", out);
  }

  String toText() {
    StringBuilder b = new StringBuilder();
    b.append("format=").append(FORMAT).append('\n');
    b.append("step=").append(step).append('\n');
    b.append("fit=").append(fitId).append('\n');
    b.append("millis=").append(millis).append('\n');
    identity.forEach((k, v) -> b.append("identity.").append(k).append('=').append(v)
        .append('\n'));
    files.forEach((k, v) -> b.append("file.").append(k).append('=').append(v).append('\n'));
    return b.toString();
  }


  /**
   * Parses {@link #toText()}'s output.
   *
   * @throws IllegalArgumentException naming {@code where} if it is not a manifest this code
   *     can read
   */
  static CheckpointManifest parse(String text, String where) {
    Map<String, String> id = new LinkedHashMap<>();
    Map<String, String> f = new LinkedHashMap<>();
    long step = -1;
    String fit = "";
    long millis = -1;
    int format = -1;
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (line.isBlank() || eq < 0) {
        continue;
      }
      String k = line.substring(0, eq);
      String v = line.substring(eq + 1);
      if (k.equals("format")) {
        format = Integer.parseInt(v.trim());
      } else if (k.equals("step")) {
        step = Long.parseLong(v.trim());
      } else if (k.equals("fit")) {
        fit = v;
      } else if (k.equals("millis")) {
        millis = Long.parseLong(v.trim());
      } else if (k.startsWith("identity.")) {
        id.put(k.substring("identity.".length()), v);
      } else if (k.startsWith("file.")) {
        f.put(k.substring("file.".length()), v);
      }
    }
    if (format != FORMAT || step < 0) {
      throw new IllegalArgumentException(where + " is not a checkpoint manifest of format "
          + FORMAT + " (format " + format + ", step " + step + ")");
    }
    return new CheckpointManifest(step, fit, millis, id, f);
  }
}
