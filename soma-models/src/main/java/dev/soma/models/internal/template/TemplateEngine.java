package dev.soma.models.internal.template;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.soma.models.error.ProjectException;
import dev.soma.models.error.SourceLocation;
import dev.soma.models.error.TemplateException;
import dev.soma.models.error.UnknownNodeException;
import freemarker.cache.StrongCacheStorage;
import freemarker.core.Environment;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.SimpleHash;
import freemarker.template.Template;
import freemarker.template.TemplateDirectiveModel;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateHashModel;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import freemarker.template.utility.DeepUnwrap;
import freemarker.ext.beans.BeansWrapper;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a project's templates. One per project; thread-safe (FreeMarker's configuration and parsed
 * templates are shared, each render gets its own data model).
 *
 * <p>The sandbox: no {@code ?new} (no object construction), no {@code ?api}, no Java members on any
 * value (only our functions, strings, numbers, lists and maps), and includes resolve only inside the
 * project. Numbers print in computer format ({@code 1000}, never {@code 1,000}) so they are valid SQL.
 */
public final class TemplateEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateEngine.class);

    private static final Pattern IN_TEMPLATE = Pattern.compile("\\s*\\[in template \"[^\"]*\" at line \\d+, column \\d+]");

    private final ProjectTemplateLoader loader;
    private final Map<String, String> texts;
    private final List<String> macroFiles;
    /** Built on the first render: a load served from the parse cache never pays for FreeMarker. */
    private volatile Configuration configuration;
    /** Templates already checked for Jinja. */
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    /**
     * @param root       the project root (includes may not leave it)
     * @param texts      template texts already read, by project-relative name
     * @param macroFiles project-relative names of macro files, auto-included in every template
     */
    public TemplateEngine(Path root, Map<String, String> texts, List<String> macroFiles) {
        this.texts = new ConcurrentHashMap<>(texts);
        this.loader = new ProjectTemplateLoader(root, this.texts);
        this.macroFiles = List.copyOf(macroFiles);
        for (String macroFile : macroFiles) {
            refuseJinja(macroFile, new TemplateOwner("macro file", macroFile));
        }
    }

    private Configuration configuration() {
        Configuration ready = configuration;
        if (ready != null) {
            return ready;
        }
        synchronized (this) {
            if (configuration == null) {
                configuration = configure();
            }
            return configuration;
        }
    }

    private Configuration configure() {
        DefaultObjectWrapperBuilder wrapperBuilder = new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34);
        wrapperBuilder.setExposureLevel(BeansWrapper.EXPOSE_NOTHING);
        wrapperBuilder.setUseAdaptersForContainers(true);
        DefaultObjectWrapper wrapper = wrapperBuilder.build();

        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setTemplateLoader(loader);
        cfg.setCacheStorage(new StrongCacheStorage());
        cfg.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
        cfg.setLocalizedLookup(false);
        cfg.setObjectWrapper(wrapper);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        // <#attempt>/<#recover> is the template handling its own error: nothing for the log to shout about.
        cfg.setAttemptExceptionReporter((error, environment) ->
                LOG.debug("<#attempt> recovered in {}: {}", error.getTemplateSourceName(), error.getMessageWithoutStackTop()));
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        cfg.setInterpolationSyntax(Configuration.DOLLAR_INTERPOLATION_SYNTAX);
        cfg.setTagSyntax(Configuration.ANGLE_BRACKET_TAG_SYNTAX);
        cfg.setNumberFormat("c");
        cfg.setBooleanFormat("c");
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setDefaultEncoding("UTF-8");
        cfg.setWhitespaceStripping(true);
        for (String macroFile : macroFiles) {
            cfg.addAutoInclude(macroFile);
        }
        return cfg;
    }

    /**
     * Renders the template {@code name} for {@code owner} (e.g. {@code model stg_books}).
     *
     * @throws TemplateException     for syntax and evaluation errors
     * @throws UnknownNodeException  for a {@code ref} or {@code source} that matches nothing
     */
    public String render(String name, TemplateOwner owner, TemplateContext context) {
        return render(name, owner, context, Map.of());
    }

    /**
     * Renders with extra top-level variables (a generic test's {@code model}, {@code column_name} and
     * arguments), wrapped like vars: strings, numbers, booleans, lists and maps only.
     */
    public String render(String name, TemplateOwner owner, TemplateContext context, Map<String, Object> variables) {
        if (checked.add(name)) {
            refuseJinja(name, owner);
        }
        Template template;
        try {
            template = configuration().getTemplate(name);
        } catch (ParseException e) {
            throw parseError(owner, e);
        } catch (IOException e) {
            throw new ProjectException(SourceLocation.of(name), "cannot read template: " + e.getMessage(), e);
        }
        return process(template, owner, context, variables);
    }

    /**
     * Renders a template given as text (a hook, a test), known in messages as {@code name}. The text is
     * parsed once per name and cached.
     */
    public String renderText(String name, String text, TemplateOwner owner, TemplateContext context) {
        String previous = texts.putIfAbsent(name, text);
        if (previous != null && !previous.equals(text)) {
            texts.put(name, text);
            checked.remove(name);
            try {
                configuration().removeTemplateFromCache(name);
            } catch (IOException e) {
                throw new ProjectException(SourceLocation.of(name), "cannot refresh template: " + e.getMessage(), e);
            }
        }
        return render(name, owner, context);
    }

    private String process(Template template, TemplateOwner owner, TemplateContext context, Map<String, Object> variables) {
        StringWriter out = new StringWriter(256);
        try {
            SimpleHash model = dataModel(context);
            for (Map.Entry<String, Object> variable : variables.entrySet()) {
                model.put(variable.getKey(), variable.getValue());
            }
            Environment environment = template.createProcessingEnvironment(model, out);
            environment.process();
        } catch (freemarker.template.TemplateException e) {
            throw renderError(owner, template.getSourceName(), e);
        } catch (ParseException e) {
            throw parseError(owner, e);
        } catch (IOException e) {
            throw new ProjectException(SourceLocation.of(template.getSourceName()), "cannot render: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private SimpleHash dataModel(TemplateContext context) {
        SimpleHash model = new SimpleHash(configuration().getObjectWrapper());
        model.put("ref", (TemplateMethodModelEx) args -> {
            arity("ref", args, 1, 1, "ref(\"model_name\")");
            return context.ref(string("ref", args, 0));
        });
        model.put("source", (TemplateMethodModelEx) args -> {
            arity("source", args, 2, 2, "source(\"source_name\", \"table_name\")");
            return context.source(string("source", args, 0), string("source", args, 1));
        });
        model.put("var", (TemplateMethodModelEx) args -> {
            arity("var", args, 1, 2, "var(\"name\") or var(\"name\", default)");
            Object fallback = args.size() > 1 ? DeepUnwrap.unwrap((TemplateModel) args.get(1)) : null;
            return context.var(string("var", args, 0), fallback, args.size() > 1);
        });
        model.put("is_incremental", (TemplateMethodModelEx) args -> {
            arity("is_incremental", args, 0, 0, "is_incremental()");
            return context.isIncremental();
        });
        model.put("this", (TemplateScalarModel) context::self);
        putMacros(model, context);
        model.put("window", new TemplateHashModel() {
            @Override
            public TemplateModel get(String key) throws TemplateModelException {
                String value = context.window().get(key);
                if (value == null) {
                    throw new TemplateModelException("window has no '" + key + "'; use ${window.start} or ${window.end}");
                }
                return new SimpleScalar(value);
            }

            @Override
            public boolean isEmpty() {
                return false;
            }
        });
        model.put("config", (TemplateDirectiveModel) (env, params, loopVars, body) -> {
            if (body != null) {
                throw new TemplateModelException("<@config …/> takes no body; write it as <@config materialized=\"table\"/>");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, TemplateModel> typed = (Map<String, TemplateModel>) params;
            for (Map.Entry<String, TemplateModel> entry : typed.entrySet()) {
                values.put(entry.getKey(), DeepUnwrap.unwrap(entry.getValue()));
            }
            context.config(values);
        });
        return model;
    }

    private static void arity(String function, List<?> args, int min, int max, String usage) throws TemplateModelException {
        if (args.size() < min || args.size() > max) {
            throw new TemplateModelException(function + "() takes " + (min == max ? String.valueOf(min) : min + " or " + max)
                    + " argument" + (max == 1 ? "" : "s") + ", got " + args.size() + "; write " + usage);
        }
    }

    /**
     * The cross-engine macros (dbt's cross-database macros): expressions whose spelling differs between
     * engines, rendered by the engine's {@link dev.soma.core.engine.Dialect}. Arguments are SQL text.
     */
    private static void putMacros(SimpleHash model, TemplateContext context) {
        model.put("datediff", (TemplateMethodModelEx) args -> {
            arity("datediff", args, 3, 3, "datediff(\"first_date\", \"second_date\", \"day\")");
            return context.dialect().datediff(string("datediff", args, 0), string("datediff", args, 1),
                    string("datediff", args, 2));
        });
        model.put("regexp_full_match", (TemplateMethodModelEx) args -> {
            arity("regexp_full_match", args, 2, 2, "regexp_full_match(\"column\", \"'^[0-9]+$'\")");
            return context.dialect().regexpFullMatch(string("regexp_full_match", args, 0),
                    string("regexp_full_match", args, 1));
        });
        model.put("cast", (TemplateMethodModelEx) args -> {
            arity("cast", args, 2, 2, "cast(\"expression\", type_float())");
            return context.dialect().cast(string("cast", args, 0), string("cast", args, 1));
        });
        model.put("safe_divide", (TemplateMethodModelEx) args -> {
            arity("safe_divide", args, 2, 2, "safe_divide(\"numerator\", \"denominator\")");
            return context.dialect().safeDivide(string("safe_divide", args, 0), string("safe_divide", args, 1));
        });
        model.put("type_string", (TemplateMethodModelEx) args -> {
            arity("type_string", args, 0, 0, "type_string()");
            return context.dialect().typeString();
        });
        model.put("type_float", (TemplateMethodModelEx) args -> {
            arity("type_float", args, 0, 0, "type_float()");
            return context.dialect().typeFloat();
        });
    }

    private static String string(String function, List<?> args, int index) throws TemplateModelException {
        Object value = args.get(index);
        if (value instanceof TemplateScalarModel scalar) {
            return scalar.getAsString();
        }
        throw new TemplateModelException(function + "() expects text arguments; argument " + (index + 1)
                + " is not a string (quote it: \"name\")");
    }

    /** Jinja would pass through FreeMarker as text and fail in DuckDB: refuse it here, saying what to write. */
    private void refuseJinja(String name, TemplateOwner owner) {
        JinjaSyntax.find(loader.text(name)).ifPresent(finding -> {
            checked.remove(name);
            throw new TemplateException(owner.kind(), owner.name(), new SourceLocation(name, finding.line(), finding.column()),
                    JinjaSyntax.message(finding), excerpt(name, finding.line(), finding.column()), null);
        });
    }

    private RuntimeException parseError(TemplateOwner owner, ParseException e) {
        String file = e.getTemplateName();
        String detail = clean(e.getEditorMessage());
        SourceLocation location = new SourceLocation(file, e.getLineNumber(), e.getColumnNumber());
        return new TemplateException(owner.kind(), owner.name(), location, detail, excerpt(file, e.getLineNumber(), e.getColumnNumber()), e);
    }

    private RuntimeException renderError(TemplateOwner owner, String templateName, freemarker.template.TemplateException e) {
        String file = e.getTemplateSourceName() != null ? e.getTemplateSourceName() : templateName;
        int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
        int column = e.getColumnNumber() == null ? 0 : e.getColumnNumber();
        SourceLocation location = new SourceLocation(file, line, column);
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnknownReference reference) {
                return new UnknownNodeException(location, reference.problem() + " (in " + owner + ")",
                        reference.name(), reference.suggestion());
            }
            if (cause instanceof ProjectException project && cause != e) {
                return new TemplateException(owner.kind(), owner.name(), location, project.getMessage(), excerpt(file, line, column), e);
            }
        }
        String detail = clean(e.getMessageWithoutStackTop());
        return new TemplateException(owner.kind(), owner.name(), location, detail, excerpt(file, line, column), e);
    }

    /** FreeMarker's messages carry tips and locations we show our own way; keep the essence on one line. */
    static String clean(String message) {
        if (message == null) {
            return "unknown template error";
        }
        String text = message;
        int tips = text.indexOf("\n----");
        if (tips >= 0) {
            text = text.substring(0, tips);
        }
        Matcher matcher = IN_TEMPLATE.matcher(text);
        text = matcher.replaceAll("");
        return text.replaceAll("\\s*\n\\s*", " ").replace("==> ", "").strip();
    }

    /** The offending line with a caret under the column, or an empty string when unavailable. */
    String excerpt(String file, int line, int column) {
        String text = file == null ? null : loader.text(file);
        if (text == null || line <= 0) {
            return "";
        }
        String[] lines = text.split("\r?\n", -1);
        if (line > lines.length) {
            return "";
        }
        String number = String.valueOf(line);
        String gutter = " ".repeat(number.length());
        String source = lines[line - 1].replace('\t', ' ');
        StringBuilder excerpt = new StringBuilder()
                .append("  ").append(number).append(" | ").append(source);
        if (column > 0) {
            excerpt.append('\n').append("  ").append(gutter).append(" | ").append(" ".repeat(Math.max(0, column - 1))).append('^');
        }
        return excerpt.toString();
    }
}
