import { lightModel } from './light.js';

/** A plain relay light, like a Zigbee ceiling switch: `{"state":"ON"}`. */
export const onoffLight = lightModel({ words: 'on/off light', dimmable: false, colour: false });
