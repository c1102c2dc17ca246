package io.github.dssesink.cli;

import java.net.InetAddress;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds S3Mock's extra plain-HTTP Tomcat connector to 127.0.0.1. S3Mock 5.2.0 creates that
 * connector without an address, so it would listen on every interface; {@code server.address}
 * covers only the HTTPS connector. Registered in the test resources' {@code META-INF/spring.factories}.
 */
public final class LoopbackConnectorInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
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
    }
}
