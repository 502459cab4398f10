package io.steward.gateway;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the OpenAPI document says about one route beyond its method, path and access: its id, the query parameters
 * and headers it reads, the record its body is, the record it answers with, and the error statuses it may answer
 * (those every route of its kind may answer, such as 401 for an authenticated one, {@link OpenApi} adds).
 * Built fluently beside the route's registration, so a route's handler and its description sit together.
 */
final class Operation {
    /** A query parameter or request header; {@code type} is a plain Java type ({@code String}, {@code Integer}…). */
    record Param(String name, String in, Class<?> type, String description) {
    }

    /** Another way a route answers its success: a media type that is not JSON, such as a stream of events. */
    record Alternative(String mediaType, String description) {
    }

    final String tag;
    final String id;
    final String summary;
    String description;
    final List<Param> params = new ArrayList<>();
    Class<? extends Record> body;
    int status = 200;
    final Set<Integer> otherSuccesses = new TreeSet<>();
    Type response;
    final List<Alternative> alternatives = new ArrayList<>();
    final Map<String, String> responseHeaders = new LinkedHashMap<>();
    final Set<Integer> errors = new TreeSet<>();

    private Operation(String tag, String id, String summary) {
        this.tag = tag;
        this.id = id;
        this.summary = summary;
    }

    /** @param tag the group it belongs to ({@link OpenApi#TAGS}); @param id its operationId, unique */
    static Operation op(String tag, String id, String summary) {
        return new Operation(tag, id, summary);
    }

    Operation describe(String text) {
        this.description = text;
        return this;
    }

    Operation query(String name, Class<?> type, String text) {
        params.add(new Param(name, "query", type, text));
        return this;
    }

    Operation header(String name, Class<?> type, String text) {
        params.add(new Param(name, "header", type, text));
        return this;
    }

    Operation body(Class<? extends Record> record) {
        this.body = record;
        return this;
    }

    /** Success is {@code status} with a JSON body of {@code type} (a record, or a list or map of them). */
    Operation answers(int status, Type type) {
        this.status = status;
        this.response = type;
        return this;
    }

    /** Success may also be {@code status}, with the same body. */
    Operation alsoAnswers(int status) {
        otherSuccesses.add(status);
        return this;
    }

    /** Success is {@code status} with a body of another media type (or none, for a null media type). */
    Operation answersOther(int status, String mediaType, String text) {
        this.status = status;
        if (mediaType != null) {
            alternatives.add(new Alternative(mediaType, text));
        }
        return this;
    }

    /** The same success may instead be {@code mediaType}, as the request's Accept header asks. */
    Operation or(String mediaType, String text) {
        alternatives.add(new Alternative(mediaType, text));
        return this;
    }

    Operation responseHeader(String name, String text) {
        responseHeaders.put(name, text);
        return this;
    }

    Operation errors(int... statuses) {
        for (int s : statuses) {
            errors.add(s);
        }
        return this;
    }
}
