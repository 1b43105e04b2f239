/** One step of `todo-mcp doctor`. */
export interface DoctorCheck {
  /** Stable id, for scripts reading `--json`. */
  readonly id: string;
  readonly title: string;
  readonly status: 'ok' | 'warning' | 'error' | 'skipped';
  /** What was found, in plain words. */
  readonly detail: string;
  /** What to do about it (warnings and errors). */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly server: string;
  readonly checks: readonly DoctorCheck[];
  /** True when no check is an error. */
  readonly ok: boolean;
}

export const ok = (id: string, title: string, detail: string): DoctorCheck => ({ id, title, status: 'ok', detail });
export const warning = (id: string, title: string, detail: string, fix: string): DoctorCheck => ({ id, title, status: 'warning', detail, fix });
export const error = (id: string, title: string, detail: string, fix: string): DoctorCheck => ({ id, title, status: 'error', detail, fix });
export const skipped = (id: string, title: string, detail: string): DoctorCheck => ({ id, title, status: 'skipped', detail });
