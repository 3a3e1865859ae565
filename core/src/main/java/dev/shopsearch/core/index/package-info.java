/**
 * The shopsearch index: schema, metadata, codecs and generations. Written by the indexer, read by
 * the service; this package is the one definition both use.
 *
 * <h2>Documents</h2>
 *
 * One block per product, built by {@link dev.shopsearch.core.index.ProductDocuments}: one child
 * document per image, then the parent (product) document last. Field names are the constants of
 * {@link dev.shopsearch.core.index.IndexSchema}:
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>field</th><th>on</th><th>Lucene fields</th><th>use</th></tr>
 *   <tr><td>{@code doc_type}</td><td>both</td><td>StringField: {@code product} | {@code image}</td>
 *       <td>parents filter for block joins ({@code doc_type:product})</td></tr>
 *   <tr><td>{@code product_id}</td><td>both</td><td>StringField (stored) + SortedDocValues
 *       </td><td>block identity: {@code updateDocuments(product_id:ID)} replaces the
 *       whole block</td></tr>
 *   <tr><td>{@code name}, {@code description}</td><td>parent</td><td>TextField (stored),
 *       {@link dev.shopsearch.core.index.LexicalAnalysis#english()}</td>
 *       <td>BM25, spelling, display</td></tr>
 *   <tr><td>{@code categories_text}, {@code attributes_text}</td><td>parent</td><td>TextField,
 *       English analysis; attribute text = colour and every attribute value</td>
 *       <td>BM25, spelling</td></tr>
 *   <tr><td>{@code name_cjk}, {@code description_cjk}, {@code categories_cjk}, {@code
 *       attributes_cjk}</td><td>parent</td><td>TextField, CJK bigrams and unigrams ({@link
 *       dev.shopsearch.core.index.LexicalAnalysis#cjk(boolean)}); only when the text has a CJK
 *       character</td><td>BM25 (queried with bigrams only)</td></tr>
 *   <tr><td>{@code categories}</td><td>parent</td><td>stored, one per path</td><td>display</td></tr>
 *   <tr><td>{@code category}</td><td>both</td><td>StringField + SortedSetDocValues, every
 *       lower-cased prefix of every path ({@code men}, {@code men/tops}); see
 *       {@link dev.shopsearch.core.index.ProductDocuments#categoryKeys}</td><td>filter</td></tr>
 *   <tr><td>{@code colour}</td><td>both</td><td>StringField + SortedSetDocValues, lower-cased</td>
 *       <td>filter</td></tr>
 *   <tr><td>{@code colour_display}</td><td>parent</td><td>stored</td><td>display</td></tr>
 *   <tr><td>{@code price}</td><td>both</td><td>DoublePoint + DoubleDocValuesField</td>
 *       <td>range filter, sort</td></tr>
 *   <tr><td>{@code price_display}</td><td>parent</td><td>stored double</td><td>display</td></tr>
 *   <tr><td>{@code in_stock}</td><td>both</td><td>StringField + SortedSetDocValues:
 *       {@code true}|{@code false} (absent when unknown)</td><td>filter</td></tr>
 *   <tr><td>{@code attr.<name>}</td><td>both</td><td>StringField + SortedSetDocValues,
 *       lower-cased attribute name and values</td><td>filter</td></tr>
 *   <tr><td>{@code image_url}</td><td>parent</td><td>stored: first image reference</td>
 *       <td>display</td></tr>
 *   <tr><td>{@code images}</td><td>parent</td><td>stored, all references in catalog order</td>
 *       <td>display</td></tr>
 *   <tr><td>{@code content_hash}</td><td>parent</td><td>StringField (stored): SHA-256 of the
 *       product row and its image bytes</td><td>incremental updates</td></tr>
 *   <tr><td>{@code image_ref}, {@code image_ordinal}</td><td>child</td><td>stored</td>
 *       <td>which image matched</td></tr>
 *   <tr><td>{@code image_sha256}</td><td>child</td><td>stored: SHA-256 of the image bytes the
 *       vector came from (absent in generations written before it existed)</td>
 *       <td>{@code indexer verify}'s model check</td></tr>
 *   <tr><td>{@code vector}</td><td>child</td><td>KnnFloatVectorField, unit norm, similarity from
 *       the bundle, stored per {@link dev.shopsearch.core.index.VectorFormat}</td>
 *       <td>kNN; use {@code DiversifyingChildrenFloatKnnVectorQuery} with the parents filter to get
 *       each product once by its best image ({@link dev.shopsearch.core.index.ProductKnn} builds
 *       the query the service runs)</td></tr>
 *   <tr><td>{@code text_vector}</td><td>parent</td><td>KnnFloatVectorField: the text tower's
 *       embedding of {@link dev.shopsearch.core.index.ProductText#of} (name and description), same
 *       dimension, similarity and vector format as {@code vector}; absent without a text tower or
 *       text (schema version 4)</td>
 *       <td>the semantic list of hybrid search ({@link
 *       dev.shopsearch.core.index.ProductKnn#textQuery})</td></tr>
 * </table>
 *
 * <p>Filter fields are on children too, so a filter query can be passed directly as the kNN
 * pre-filter of a child vector query. Keyword values are normalised with {@link
 * dev.shopsearch.core.index.ProductDocuments#keyword}; the service must normalise filter input the
 * same way.
 *
 * <h2>Commit user data</h2>
 *
 * {@link dev.shopsearch.core.index.IndexMetadata}: {@code shopsearch.model.name}, {@code
 * .model.version}, {@code .model.hash}, {@code .dim}, {@code .similarity}, {@code .vector_format},
 * {@code .hnsw.m}, {@code .hnsw.beam_width}, {@code .catalog.sha256}, {@code .created_at}, {@code
 * .generation}, {@code .products}, {@code .images}, {@code .schema_version}. A reader calls {@code
 * checkCompatible(bundle)} before serving. Text fields are analysed with {@link
 * dev.shopsearch.core.index.LexicalAnalysis#indexing()} (the writer's analyzer) since schema
 * version 2; an update refuses an index of another version ({@code checkWritable()}).
 *
 * <h2>Vector formats and codec</h2>
 *
 * {@link dev.shopsearch.core.index.IndexCodecs#codec} writes the vector field with the chosen
 * {@link dev.shopsearch.core.index.VectorFormat} and HNSW parameters; the codec keeps Lucene's
 * default name, so readers need no special codec. Quantised formats keep raw floats for
 * full-precision rescoring ({@code RescoreTopNQuery.createFullPrecisionRescorerQuery}, widening
 * {@code k} by {@link dev.shopsearch.core.index.VectorFormat#rescoreOversample()}).
 *
 * <h2>Generations</h2>
 *
 * {@link dev.shopsearch.core.index.IndexGenerations}: {@code root/gen-NNNNNN/} directories and an
 * atomically switched {@code root/CURRENT} pointer; readers use {@code openCurrent()}.
 */
package dev.shopsearch.core.index;
