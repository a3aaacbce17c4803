package io.sparkps.transport;

/**
 * The fixed part of every frame. Fields a message type does not use are zero.
 *
 * @param source sender id (a worker id for updates, a server id for registration)
 * @param destination receiver id, informational
 * @param paramId the param a data message is about
 * @param sliceId the slice of that param
 * @param version a slice version (GET: at least this version; UPDATE: the worker's step)
 * @param requestId matches a response to its request; 0 for one-way messages
 */
public record Header(
    int source, int destination, int paramId, int sliceId, long version, long requestId) {

  public static final Header EMPTY = new Header(0, 0, 0, 0, 0, 0);

  public static Header request(long requestId) {
    return new Header(0, 0, 0, 0, 0, requestId);
  }

  public static Header slice(long requestId, int paramId, int sliceId, long version) {
    return new Header(0, 0, paramId, sliceId, version, requestId);
  }
}
