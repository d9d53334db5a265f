package dev.soma.jobs.internal;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/** Names of lease owners: {@code host:pid:random}, so a lease says which process holds it. */
public final class Owners {

    private static final String PREFIX = host() + ":" + ProcessHandle.current().pid() + ":";

    private Owners() {
    }

    /** {@code host:pid:} of this JVM. */
    public static String processPrefix() {
        return PREFIX;
    }

    /** A new owner name in this JVM. */
    public static String newOwner() {
        return PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
