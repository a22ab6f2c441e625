/**
 * The coupon language service, loaded on first use: the server answers
 * `initialize` before loading it (in Node it is a bundle of its own), with the
 * options the client's `initialize` gave.
 */
import type { CouponLanguageService, CouponLanguageServiceOptions } from '../../core/src/languageService';
import type { RuntimeEnvironment } from './runtime';

export class LanguageServiceLoader {
  private options: CouponLanguageServiceOptions = {};
  private loaded: CouponLanguageService | undefined;

  constructor(private readonly runtime: RuntimeEnvironment) {}

  /** The options the service is created with (set by `initialize`, before the first use). */
  configure(options: CouponLanguageServiceOptions): void {
    this.options = options;
  }

  /**
   * Loads the service, then warms it up (languageService.ts: `warmUp`), each
   * in a turn of its own, while the client is still busy opening its documents.
   */
  prepare(failed: (error: unknown) => void): void {
    const timer = this.runtime.timer;
    timer.setImmediate(() => {
      const service = this.service;
      timer.setImmediate(() => void service.warmUp().catch(failed));
    });
  }

  get service(): CouponLanguageService {
    return (this.loaded ??= this.runtime.loadLanguageService().createCouponLanguageService(this.options));
  }
}
