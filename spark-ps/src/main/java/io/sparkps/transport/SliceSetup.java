package io.sparkps.transport;

import java.io.Serializable;

/**
 * How a server treats one slice, beyond its values and optimizer.
 *
 * @param sharesPerStep worker gradients that make one synchronous step of a worker group
 * @param firstGroup first worker group this slice's server group serves
 * @param numGroups worker groups it serves (firstGroup, firstGroup + 1, ...)
 * @param staleness bounded delay: the answer to a group's step t waits until every served
 *     group has completed step t + 1 - staleness; {@code Integer.MAX_VALUE} never waits
 * @param syncFreq local updates between two syncs with the master copy
 * @param master "host:port" of the server holding the master copy of this slice, or "" when
 *     this is the master copy (or the only one)
 * @param rowWidth floats per row (the param's columns): the unit of sparse pulls and pushes
 */
public record SliceSetup(int sharesPerStep, int firstGroup, int numGroups, int staleness,
    int syncFreq, String master, int rowWidth) implements Serializable {

  public static final int UNBOUNDED = Integer.MAX_VALUE;

  public SliceSetup {
    if (sharesPerStep < 1 || numGroups < 1 || firstGroup < 0 || staleness < 0 || syncFreq < 1
        || rowWidth < 1) {
      throw new IllegalArgumentException("bad slice setup " + sharesPerStep + "/" + firstGroup
          + "/" + numGroups + "/" + staleness + "/" + syncFreq + "/" + rowWidth);
    }
  }

  /** A slice of rows of one float. */
  public SliceSetup(int sharesPerStep, int firstGroup, int numGroups, int staleness,
      int syncFreq, String master) {
    this(sharesPerStep, firstGroup, numGroups, staleness, syncFreq, master, 1);
  }

  /** One group, no staleness bound, no master: a plain slice. */
  public static SliceSetup single(int sharesPerStep) {
    return new SliceSetup(sharesPerStep, 0, 1, UNBOUNDED, 1, "", 1);
  }

  static final int FIXED_BYTES = 6 * Integer.BYTES;

  int encodedLength() {
    return FIXED_BYTES + Floats.stringLength(master);
  }

  void write(io.netty.buffer.ByteBuf out) {
    out.writeInt(sharesPerStep);
    out.writeInt(firstGroup);
    out.writeInt(numGroups);
    out.writeInt(staleness);
    out.writeInt(syncFreq);
    out.writeInt(rowWidth);
    Floats.writeString(out, master);
  }

  static SliceSetup read(io.netty.buffer.ByteBuf in) {
    int shares = in.readInt();
    int first = in.readInt();
    int groups = in.readInt();
    int staleness = in.readInt();
    int syncFreq = in.readInt();
    int width = in.readInt();
    return new SliceSetup(shares, first, groups, staleness, syncFreq, Floats.readString(in),
        width);
  }
}
