/**
 * Maximum inner product search (MIPS) over the latest item vectors: the retrieval step of deep
 * candidate generation.
 *
 * <p>An item vector is the output-layer row {@code [b_i, w_i]} published by the trainer and a user
 * query is {@code [1, u]}; the score of an item for a user is their inner product (Covington,
 * Adams, Sargin, "Deep Neural Networks for YouTube Recommendations", RecSys 2016). What lives here:
 *
 * <ul>
 *   <li>{@link dev.freshet.streams.retrieval.ItemIndex}: the contract every index keeps (upsert,
 *       remove, top-K with exclusions, size/version/stats, one writer and many readers).
 *   <li>{@link dev.freshet.streams.retrieval.ExactItemIndex}: brute-force top-K over a contiguous
 *       row-major {@code float[]}; the index for small catalogues and the ground truth in tests.
 *   <li>{@link dev.freshet.streams.retrieval.HnswItemIndex}: approximate top-K on a hierarchical
 *       navigable small world graph (Malkov and Yashunin, "Efficient and robust approximate nearest
 *       neighbor search using Hierarchical Navigable Small World graphs", IEEE TPAMI 2018), built
 *       and searched with Apache Lucene's {@code org.apache.lucene.util.hnsw} (Lucene 9.12). New
 *       items join the graph incrementally; changed vectors are updated in place and the graph is
 *       rebuilt off the query path once enough of it has drifted.
 *   <li>{@link dev.freshet.streams.retrieval.SimpleLsh}: the SIMPLE-LSH reduction of MIPS to
 *       angular search (Neyshabur and Srebro, "On Symmetric and Asymmetric LSHs for Inner Product
 *       Search", ICML 2015): items {@code [v/m ; sqrt(1-|v/m|^2)]}, queries {@code [q/|q| ; 0]}.
 *       The HNSW graph links items by this angular similarity; queries are scored with the raw
 *       inner product, which ranks items identically, so scores are true inner products.
 *   <li>{@link dev.freshet.streams.retrieval.SearchPlan}: how an HNSW index answers a query: the
 *       graph, an exact scan of items grouped in norm bands that stops when the Cauchy-Schwarz
 *       bound {@code q0·b + |u|·|w|} proves the top-K (the pruning of norm-ordered MIPS scans, as
 *       in Teflioudi, Gemulla and Mykytiuk, "LEMP: Fast Retrieval of Large Entries in a Matrix
 *       Product", SIGMOD 2015), or both.
 *   <li>{@link dev.freshet.streams.retrieval.AutoItemIndex}: exact below a size threshold, HNSW
 *       above it.
 * </ul>
 *
 * <p>Design, update/rebuild policy and parameter choices: {@code docs/retrieval.md}.
 */
package dev.freshet.streams.retrieval;
