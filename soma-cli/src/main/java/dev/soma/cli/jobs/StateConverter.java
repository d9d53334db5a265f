package dev.soma.cli.jobs;

import dev.soma.jobs.JobState;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a job state by its table name ({@code pending}, {@code failed}, …). */
public final class StateConverter implements ITypeConverter<JobState> {

    @Override
    public JobState convert(String value) {
        try {
            return JobState.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
