import { noChange } from 'lit';
import { setCommittedValue } from 'lit/directive-helpers.js';
import { Directive, directive, PartType, type PartInfo, type PropertyPart } from 'lit/directive.js';

/** Text fields the user has typed in since their last `change`: a render leaves them alone. */
const typing = new WeakSet<HTMLInputElement>();
const watched = new WeakSet<HTMLInputElement>();

function watch(field: HTMLInputElement): void {
  if (watched.has(field)) return;
  watched.add(field);
  field.addEventListener('input', () => typing.add(field));
  // Registered before the binding's own @change can refuse and re-render: once the edit is
  // handed over, the field shows the saved value again, the refused one included.
  field.addEventListener('change', () => typing.delete(field), { capture: true });
}

class SavedValueDirective extends Directive {
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.PROPERTY || info.name !== 'value') throw new Error('savedValue() is for a .value binding');
  }

  render(value: string): string {
    return value;
  }

  override update(part: PropertyPart, [value]: [string]): unknown {
    const field = part.element as HTMLInputElement;
    watch(field);
    if (typing.has(field) || field.value === value) return noChange;
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
