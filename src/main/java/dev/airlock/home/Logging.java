package dev.airlock.home;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SLF4J logging to {@code HOME/logs/airlock.log} (0600), every line passed through the
 * installed {@link TextFilter} — the hook where the redaction engine plugs in — before it is written.
 * Until {@link #toHome} is called nothing is logged anywhere (the bundled logback.xml has no
 * appender), so nothing can reach a terminal unredacted.
 */
public final class Logging {
    private static final AtomicReference<TextFilter> FILTER = new AtomicReference<>(TextFilter.identity());

    private Logging() {}

    /** Installs the filter every log line passes through; replaces the previous one. */
    public static void setFilter(TextFilter filter) {
        FILTER.set(filter);
    }

    /** Starts writing the log file under {@code home} at {@code level}. */
    public static void toHome(AirlockHome home, LoggingSettings.Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Path file = home.logsDir().resolve("airlock.log");
        try {
            PrivateFiles.createDirectories(home.logsDir());
            PrivateFiles.createFile(file);
        } catch (IOException e) {
            throw AirlockHome.unwritable(file, e);
        }
        context.reset();
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("home");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name(), Level.INFO));
        root.addAppender(appender);
        // Third-party libraries are chatty at INFO; their warnings still get through.
        for (String quiet : new String[] {"org.flywaydb", "org.jdbi", "org.eclipse.jetty", "io.javalin"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
    }

    /** Formats one event, then filters the whole line, stack trace included. */
    static final class RedactingLayout extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder sb = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(event.getTimeStamp()))
                    .append(' ').append(event.getLevel())
                    .append(" [").append(event.getThreadName()).append("] ")
                    .append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                sb.append(CoreConstants.LINE_SEPARATOR).append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            String line = sb.toString();
            try {
                line = FILTER.get().apply(line);
            } catch (RuntimeException e) {
                // A broken filter must not let the raw line through.
                line = "[log line withheld: redaction failed]";
            }
            return line + CoreConstants.LINE_SEPARATOR;
        }
    }
}
