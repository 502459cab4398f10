package io.steward.gateway.wire;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the OpenAPI schema of a record component needs beyond its Java type. A component the response may leave out
 * is marked with Jackson's {@code @JsonInclude(NON_NULL)} instead, so the same annotation drives both.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ApiField {
    String description() default "";

    /** The value may be JSON {@code null}. */
    boolean nullable() default false;

    /** A request body may leave the field out. */
    boolean optional() default false;

    /** An OpenAPI format, such as {@code date-time}. */
    String format() default "";

    /** JSON types that replace the Java type's, for a field that takes several kinds ({@code "30s"} or 30000). */
    String[] types() default {};
}
