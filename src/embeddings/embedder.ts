/**
 * What the index needs from an embedding model beyond LangChain's `Embeddings`: a
 * stable id and the vector size, recorded in the index manifest so that an index is
 * never queried with vectors from another model.
 */
import type { EmbeddingsInterface } from "@langchain/core/embeddings";

export interface Embedder extends EmbeddingsInterface {
  /** E.g. `local:wink-sg-100d:v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  readonly dimensions: number;
}
