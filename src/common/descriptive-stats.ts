/** Descriptive statistics of a set of values (mineral %): shared by the study core and the UI. */
export interface DescriptiveStats {
  readonly n: number;
  readonly mean: number | null;
  /** Sample standard deviation (n − 1); null when n < 2. */
  readonly sd: number | null;
  /** sd / √n; null when n < 2. */
  readonly sem: number | null;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}
