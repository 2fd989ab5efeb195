package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Queries, a corpus and which documents are relevant to which query, for information-retrieval
 * evaluation. Read from three tables ({@code .tsv} tab-separated, otherwise CSV, header rows):
 *
 * <ul>
 *   <li>queries and corpus: columns {@code id} and {@code text}; ids unique within a file;
 *   <li>relevance judgements (qrels): columns {@code query_id} and {@code corpus_id} (or BEIR's
 *       {@code query-id} and {@code corpus-id}), one relevant pair a row, and an optional {@code
 *       score} column where rows scoring 0 or less are not relevant.
 * </ul>
 *
 * Or built from two labelled-utterance files ({@code text,label}), a document being relevant to a
 * query when both have the same label.
 *
 * @param queries query id → text, in file order
 * @param corpus document id → text, in file order
 * @param relevant query id → the ids of its relevant documents
 */
public record RetrievalData(
        Map<String, String> queries,
        Map<String, String> corpus,
        Map<String, Set<String>> relevant) {

    public static RetrievalData read(Path queries, Path corpus, Path qrels) throws IOException {
        Map<String, String> q = texts(queries);
        Map<String, String> c = texts(corpus);
        DelimitedTable t = DelimitedTable.read(qrels);
        int qid = t.column("query_id", "query-id");
        int cid = t.column("corpus_id", "corpus-id");
        int score = t.optionalColumn("score");
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (DelimitedTable.Row row : t.rows()) {
            String query = t.text(row, qid).strip();
            String doc = t.text(row, cid).strip();
            if (!q.containsKey(query)) {
                throw new DataFormatException(
                        qrels,
                        row.line(),
                        t.header().get(qid),
                        "no query with id '" + query + "' in " + queries);
            }
            if (!c.containsKey(doc)) {
                throw new DataFormatException(
                        qrels,
                        row.line(),
                        t.header().get(cid),
                        "no document with id '" + doc + "' in " + corpus);
            }
            if (score < 0 || t.number(row, score) > 0) {
                relevant.computeIfAbsent(query, k -> new HashSet<>()).add(doc);
            }
        }
        return new RetrievalData(q, c, relevant);
    }

    /**
     * Query ids {@code q0, q1, ...} and document ids {@code d0, d1, ...} in row order; relevant =
     * same label.
     */
    public static RetrievalData fromLabelled(
            List<LabelledText> queries, List<LabelledText> corpus) {
        Map<String, String> q = new LinkedHashMap<>();
        Map<String, String> c = new LinkedHashMap<>();
        Map<String, Set<String>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < corpus.size(); i++) {
            c.put("d" + i, corpus.get(i).text());
            byLabel.computeIfAbsent(corpus.get(i).label(), k -> new HashSet<>()).add("d" + i);
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            q.put("q" + i, queries.get(i).text());
            relevant.put("q" + i, byLabel.getOrDefault(queries.get(i).label(), Set.of()));
        }
        return new RetrievalData(q, c, relevant);
    }

    private static Map<String, String> texts(Path file) throws IOException {
        DelimitedTable t = DelimitedTable.read(file);
        int id = t.column("id", "_id");
        int text = t.column("text");
        Map<String, String> out = new LinkedHashMap<>();
        for (DelimitedTable.Row row : t.rows()) {
            String key = t.text(row, id).strip();
            if (out.put(key, t.text(row, text)) != null) {
                throw new DataFormatException(
                        file, row.line(), t.header().get(id), "duplicate id '" + key + "'");
            }
        }
        return out;
    }
}
