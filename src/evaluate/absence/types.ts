// The absence store interface: which groups are busy enough to watch, which went silent, who fires them.
import type { WindowProbe, WindowState } from "../window/types.js";

/** AbsentRuleRef names one absent rule's state and its settings, as the stores need them. */
export interface AbsentRuleRef {
  /** The rule's state key; every key of the rule derives from it (one hash tag per rule). */
  readonly key: string;
  readonly forMs: number;
  readonly after: number;
  readonly withinMs: number;
  readonly resolutionMs: number;
}

/** Arrival is one batch's matching events of one absent rule for one group, at one arrival time. */
export interface Arrival {
  readonly rule: AbsentRuleRef;
  /** The group key (groupKey of the events). */
  readonly group: string;
  /** How many matching events of the group the batch carried. */
  readonly count: number;
  /** JSON of what an absence alert shows about the group (AbsenceContext), from its newest event. */
  readonly context: string;
}

/** AbsenceContext is what the newest matching event of a watched group says about it, for its alert. */
export interface AbsenceContext {
  readonly group: Record<string, string>;
  readonly where: { waba_id?: string; phone_number_id?: string; display_phone_number?: string };
  /** Event time of that event, unix ms. */
  readonly eventMs: number;
  /** Its sample (sampleOf), shown in the alert. */
  readonly sample: string;
  /** The group's alert fingerprint (the group key is a hash it cannot be derived from); absent in older state. */
  readonly fingerprint?: string;
}

/**
 * ArrivalOutcome is what recording a group's arrivals did: `watched` when the group is (now) watched
 * for silence, else `count` arrivals inside the qualifying window so far (of `after` needed).
 */
export interface ArrivalOutcome {
  readonly watched: boolean;
  readonly count: number;
}

/** AbsenceClaim is one silent group a sweeper now owns (for a lease): it fires, then acks. */
export interface AbsenceClaim {
  readonly rule: AbsentRuleRef;
  readonly group: string;
  /** The group's last arrival, unix ms: the absence is "silent since" then; alert ids derive from it. */
  readonly silentSinceMs: number;
  /** AbsenceContext JSON as recorded with that arrival. */
  readonly context: string;
}

/** AbsentProbe reads whether a fired absence has ended: an arrival after `silentSinceMs`. */
export type AbsentProbe = Extract<WindowProbe, { kind: "absent" }>;

/** AbsenceStore keeps absent rules' state; every process shares it (Redis) or a dry run owns it (memory). */
export interface AbsenceStore {
  /** record counts a batch's arrivals at `arrivalMs`; one outcome per arrival, in order. */
  record(arrivals: readonly Arrival[], arrivalMs: number): Promise<ArrivalOutcome[]>;
  /**
   * claim hands out up to `max` groups of `rule` silent for `forMs` at `nowMs` (and claims whose lease ran
   * out), each leased to the caller for `leaseMs`; no other caller gets them meanwhile.
   */
  claim(rule: AbsentRuleRef, nowMs: number, leaseMs: number, max: number): Promise<AbsenceClaim[]>;
  /** ack marks a claim fired once its alert is safely handed on; a group that spoke meanwhile is left alone. */
  ack(claim: AbsenceClaim, nowMs: number): Promise<void>;
  /** inspectAbsence says whether the group is still silent since `silentSinceMs`, and its arrivals in `within`. */
  inspectAbsence(probe: AbsentProbe, nowMs: number): Promise<WindowState>;
}
