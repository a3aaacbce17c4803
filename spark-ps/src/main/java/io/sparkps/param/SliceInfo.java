package io.sparkps.param;

import java.io.Serializable;

/**
 * One contiguous piece of a param, owned by one server.
 *
 * @param param index of the param in the model's param list
 * @param paramId cluster-wide id of the param on the servers
 * @param sliceId index of the slice within its param
 * @param offset first float of the param this slice holds
 * @param length number of floats, a whole number of the param's rows
 * @param server index of the owning server in the server list
 */
public record SliceInfo(int param, int paramId, int sliceId, long offset, int length, int server)
    implements Serializable {}
