import { noChange } from 'lit';
import { setCommittedValue } from 'lit/directive-helpers.js';
import { Directive, directive, PartType, type PartInfo, type PropertyPart } from 'lit/directive.js';

class SavedValueDirective extends Directive {
  /** The user has typed in the field since its last `change`: a render leaves it alone. */
  #typing = false;
  #watching = false;

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.PROPERTY || info.name !== 'value') throw new Error('savedValue() is for a .value binding');
  }

  render(value: string): string {
    return value;
  }

  override update(part: PropertyPart, [value]: [string]): unknown {
    const field = part.element as HTMLInputElement;
    if (!this.#watching) {
      this.#watching = true;
      field.addEventListener('input', () => (this.#typing = true));
      // Registered before the binding's own @change can refuse and re-render: once the edit
      // is handed over, the field shows the saved value again, the refused one included.
      field.addEventListener('change', () => (this.#typing = false), { capture: true });
    }
    if (this.#typing || field.value === value) return noChange;
    // Lit compares with what it set last; the field may have been typed in since.
    setCommittedValue(part);
    return value;
  }
}

/**
 * A text field's `.value` binding that shows what the hub holds, like Lit's `live()`, but not
 * over what the user is typing: a dashboard re-renders with every device report, and `live()`
 * would wipe a half-typed name each time. Once the field's `change` fires (Enter, or leaving
 * it), it follows the saved value again, so a refused change goes back.
 */
export const savedValue = directive(SavedValueDirective);
