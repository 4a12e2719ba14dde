/**
 * Every threshold of the answerability decision, in one place. Each was chosen on the
 * dev part of `npm run eval` (never on the test part); the comment says on what.
 */
export interface AnswerabilitySettings {
  /** Passages (best first) examined for one that carries the answer; default 6: the retriever's k plus one. */
  judgedPassages: number;
  /**
   * Least share of the question's IDF-weighted key words (paraphrases credited by their
   * word-vector similarity) in the passage, lede and title that answer; default 0.6.
   * Below it, a passage about the asked entities gives a partial answer, and a question
   * that names no entity is refused. Chosen on the dev eval: 0.35 lets near-misses
   * through as answers, 0.55 refuses paraphrased answerable questions.
   */
  minCoverage: number;
  /** Least word-vector similarity for a key word absent from a passage to count as paraphrased there; default 0.6 (dev eval: "jabs" ~ "vaccines"). */
  minWordSimilarity: number;
  /**
   * The question's rarest key word (its focus: "space" in "cooperation in space exploration")
   * must be in the passage, or paraphrased there at least this closely; otherwise the
   * answer is partial, however well the commoner words match. Default 0.6, the paraphrase
   * bar of `minWordSimilarity`. Chosen on the dev eval: 0.6 turned two more near-misses into
   * partial answers for one answerable question answered as partial; 0.7 four more, but 16
   * more answerable questions answered as partial.
   */
  focusSimilarity: number;
  /** Days either side of a hinted period that a report may be dated and still count (reports follow events); default 3. */
  dateSlackDays: number;
  /**
   * A report dated after an asked period still speaks of it within this share of the period's
   * length (figures for a year are published in the following weeks); default 0.125, about
   * 45 days for a year and 4 for a month (dev eval: annual trade reports published in January).
   */
  reportLagShare: number;
}

export const DEFAULT_ANSWERABILITY_SETTINGS: AnswerabilitySettings = {
  judgedPassages: 6,
  minCoverage: 0.6,
  minWordSimilarity: 0.6,
  focusSimilarity: 0.6,
  dateSlackDays: 3,
  reportLagShare: 0.125,
};
