package io.github.dssesink.s3local;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs inside the S3Mock child JVM. It binds every Tomcat connector to 127.0.0.1: S3Mock 5.2.0
 * creates its plain-HTTP connector without an address, so that one would otherwise listen on every
 * interface, and {@code server.address} covers only the HTTPS connector. It also stops the JVM
 * when standard input reaches end of file (the parent exited or closed it) or when the maximum
 * lifetime in {@value #MAX_SECONDS_PROPERTY} passes, so no server outlives its user.
 */
public final class LoopbackGuard implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    static final String MAX_SECONDS_PROPERTY = "dsse.s3local.max-seconds";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof Connector connector && connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
                    protocol.setAddress(InetAddress.getLoopbackAddress());
                }
                return bean;
            }
        });
        startWatchdogs();
    }

    private static synchronized void startWatchdogs() {
        if (Boolean.getBoolean("dsse.s3local.watchdogs-started")) {
            return;
        }
        System.setProperty("dsse.s3local.watchdogs-started", "true");
        daemon("s3local-stdin-watch", () -> {
            try {
                while (System.in.read() >= 0) {
                    // Input is ignored; only end of file matters.
                }
            } catch (IOException e) {
                // A broken pipe means the parent is gone, the same as end of file.
            }
            halt("standard input closed");
        });
        long maxSeconds = Long.getLong(MAX_SECONDS_PROPERTY, 3600);
        daemon("s3local-lifetime", () -> {
            try {
                TimeUnit.SECONDS.sleep(maxSeconds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            halt("maximum lifetime of " + maxSeconds + " s reached");
        });
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void halt(String reason) {
        System.err.println("Local S3 server stopping: " + reason);
        Runtime.getRuntime().halt(0);
    }
}
