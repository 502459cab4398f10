/**
 * The JSON bodies of the HTTP API as records: what the routes answer and accept. Each is the one source of its
 * shape twice over: Jackson writes the response from it, and the OpenAPI document's schema is generated from its
 * components ({@link io.steward.gateway.wire.ApiField} and {@code @JsonInclude} add what a Java type cannot say).
 * Values that the other components hand over as maps ({@code toMap()}) are converted by {@link Wire#from}, which
 * fails on a field the record does not declare, so a new field cannot reach the wire undocumented.
 */
package io.steward.gateway.wire;
