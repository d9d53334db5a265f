package dev.soma.jobs;

/** A job store on an empty database, with a side door to that database for the tests; closing closes both. */
interface StoreUnderTest extends AutoCloseable {

    /** The store. */
    JobStore store();

    /** Runs a query returning one number on the store's own database. */
    long queryLong(String sql);

    /** Runs a statement on the store's own database. */
    void execute(String sql);

    @Override
    void close();
}
