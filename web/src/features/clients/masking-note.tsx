// The reminder on every client page that what it shows is masked, and what revealing will take.
import { Icon } from '../../ui/icons.tsx';

export function MaskingNote() {
  return (
    <p className="masking-note">
      <Icon name="admin" size={16} />
      <span>
        Personal values are masked: names show initials, identifiers their last characters. Revealing a value will need
        the compliance role and a recorded reason; that is not built yet.
      </span>
    </p>
  );
}
