package dev.quant4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Logback's configuration in code (found by Logback through META-INF/services): logs go to stderr at WARN
 * (-v / -vv raise it), one line each: {@code HH:mm:ss.SSS LEVEL logger - message}. Replaces a logback.xml, whose
 * XML parser and pattern compiler cost a large part of the CLI's start-up (several hundred classes, many of them
 * generated at run time and so not in the AOT cache).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code HH:mm:ss.SSS LEVEL logger - message}, the logger name shortened to about 20 characters. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        private static final int LOGGER_WIDTH = 20;

        @Override
        public String doLayout(ILoggingEvent e) {
            LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(e.getTimeStamp()), ZoneId.systemDefault());
            StringBuilder sb = new StringBuilder(96);
            pad(sb, t.getHour(), 2).append(':');
            pad(sb, t.getMinute(), 2).append(':');
            pad(sb, t.getSecond(), 2).append('.');
            pad(sb, t.getNano() / 1_000_000, 3).append(' ');
            String level = e.getLevel().toString();
            sb.append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
            sb.append(shortName(e.getLoggerName())).append(" - ").append(e.getFormattedMessage()).append('\n');
            IThrowableProxy tp = e.getThrowableProxy();
            if (tp != null) {
                sb.append(ThrowableProxyUtil.asString(tp)).append('\n');
            }
            return sb.toString();
        }

        private static StringBuilder pad(StringBuilder sb, int v, int width) {
            String s = Integer.toString(v);
            return sb.append("0".repeat(Math.max(0, width - s.length()))).append(s);
        }

        /** Leading package names cut to their first letter, left to right, until the name fits (as %logger{20}). */
        static String shortName(String name) {
            if (name.length() <= LOGGER_WIDTH) {
                return name;
            }
            String[] parts = name.split("\\.");
            int length = name.length();
            for (int i = 0; i < parts.length - 1 && length > LOGGER_WIDTH; i++) {
                length -= parts[i].length() - 1;
                parts[i] = parts[i].substring(0, 1);
            }
            return String.join(".", parts);
        }
    }
}
