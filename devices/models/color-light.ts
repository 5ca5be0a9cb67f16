import { lightModel } from './light.js';

/** A colour bulb with white temperature (153-500 mireds) and RGB, like a Hue colour bulb. */
export const colorLight = lightModel({ words: 'colour light', dimmable: true, colour: true });
