package io.github.dssesink.demo.s3mock;

import java.lang.reflect.Method;
import java.net.InetAddress;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds every Tomcat connector of S3Mock to 127.0.0.1. S3Mock 5.2.0 creates its plain-HTTP
 * connector without an address, so it would listen on every interface; {@code server.address}
 * covers only the primary connector. This class runs inside the S3Mock process (Spring Boot 4.1),
 * which finds it through {@code META-INF/spring.factories} on {@code loader.path}. It reaches
 * Tomcat by reflection so that the demo's class path needs no Tomcat jar.
 */
public final class S3MockLoopbackInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String TOMCAT_CONNECTOR_CLASS = "org.apache.catalina.connector.Connector";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean.getClass().getName().equals(TOMCAT_CONNECTOR_CLASS)) {
                    bindToLoopback(bean);
                }
                return bean;
            }
        });
    }

    private static void bindToLoopback(Object connector) {
        try {
            Object protocolHandler = connector.getClass().getMethod("getProtocolHandler").invoke(connector);
            Method setAddress = protocolHandler.getClass().getMethod("setAddress", InetAddress.class);
            setAddress.invoke(protocolHandler, InetAddress.getLoopbackAddress());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Failed to bind an S3Mock Tomcat connector to 127.0.0.1", e);
        }
    }
}
