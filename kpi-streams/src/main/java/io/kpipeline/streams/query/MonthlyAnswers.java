package io.kpipeline.streams.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API answers that show whether two runs computed the same KPIs: for every KPI with a month grain, its company
 * series over the months, its ranking by every other dimension in each month, and the point of every ranked key.
 */
public final class MonthlyAnswers {
    /** One GET of the API, answered (a 503 retried by the caller as it needs). */
    public interface Api {
        JsonNode get(String path) throws Exception;
    }

    private MonthlyAnswers() {
    }

    /** Path to answer, asked through {@code api}, for the months given (yyyy-MM, in order). */
    public static Map<String, JsonNode> collect(List<String> months, Api api) throws Exception {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        for (JsonNode kpi : KpiQuery.catalogue()) {
            String id = kpi.get("id").asText();
            boolean monthly = false;
            for (JsonNode g : kpi.get("grains")) {
                monthly |= g.asText().equals("month");
            }
            if (!monthly) {
                continue;
            }
            for (JsonNode d : kpi.get("dimensions")) {
                if (d.asText().equals("company")) {
                    String series = "/api/kpis/" + id + "?grain=month&from=" + months.get(0) + "&to=" + months.get(months.size() - 1);
                    answers.put(series, api.get(series));
                    continue;
                }
                for (String month : months) {
                    String path = "/api/kpis/" + id + "/ranking?dimension=" + d.asText() + "&grain=month&period=" + month + "&limit=10000";
                    JsonNode ranking = api.get(path);
                    answers.put(path, ranking);
                    // the point query of each ranked key goes to that key's owner
                    for (JsonNode entry : ranking.path("entries")) {
                        String point = "/api/kpis/" + id + "?dimension=" + d.asText() + "&key=" + entry.get("key").asText()
                                + "&grain=month&from=" + month + "&to=" + month;
                        answers.put(point, api.get(point));
                    }
                }
            }
        }
        return answers;
    }
}
