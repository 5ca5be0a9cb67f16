import './theme.css';
import './hearth-app.js';
