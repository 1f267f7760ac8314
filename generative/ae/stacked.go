package ae

import (
	"fmt"

	"github.com/arcadelab/arcade/generative/trainloop"
	"github.com/arcadelab/arcade/nets"
)

// stacked trains the stacked autoencoder (Hinton and Salakhutdinov 2006,
// with ReLU autoencoders for RBMs): phases 0..L-1 each train one shallow
// autoencoder with tied weights, on the codes of the layers below (frozen),
// for PretrainEpochs; then the L layers are unrolled into the deep
// autoencoder, each decoder layer starting from its encoder layer's
// weight transposed (a copy: untied from then on), and phase L fine-tunes
// every weight for Epochs.
//
// The shallow autoencoder of layer k encodes h_k = act(W_k h_{k-1} + b_k)
// and decodes with W_kᵀ and the bias of the deep decoder's layer that
// will reconstruct h_{k-1}: sigmoid outputs and BCE against the pixels for
// k = 0, ReLU outputs and the squared error against h_{k-1} above.
func (t *trainer) stacked() error {
	m := t.model.(*MLP)
	layers := len(m.Enc)
	all := []trainloop.Part{{Name: "model", Params: m.Params()}}
	if t.job.Resume {
		st, err := trainloop.Peek(t.job.Run.Path(trainloop.CheckpointFile))
		if err != nil {
			return err
		}
		t.st.Phase = st.Phase
	}
	for ; t.st.Phase <= layers; t.st.Phase, t.st.Epoch, t.st.Batch = t.st.Phase+1, 0, 0 {
		k := t.st.Phase
		epochs, params, step := t.cfg.Epochs, m.Params(), t.step
		if k < layers {
			epochs, step = t.cfg.PretrainEpochs, t.pretrainStep(m, k)
			params = append(nets.Prefix(fmt.Sprintf("enc.%d.", k), m.Enc[k].Params()),
				nets.Param{Name: fmt.Sprintf("dec.%d.bias", layers-1-k), Tensor: m.Dec[layers-1-k].B})
		}
		t.opt = t.newAdam(params)
		parts := append(all, trainloop.Part{Name: "phase", Opt: t.opt})
		if err := t.restore(parts); err != nil {
			return err
		}
		t.job.Resume = false // only the first phase resumes
		if k == layers && t.st.Epoch == 0 && t.st.Batch == 0 {
			unroll(m)
			t.job.Run.Logf("unrolled the %d pretrained layers into a %v autoencoder; fine-tuning with untied weights", layers, m.Sizes)
			if err := t.endEpoch("unrolled"); err != nil {
				return err
			}
		}
		loop := t.loop(parts, streamShuffle+uint64(k)<<20, epochs, step)
		if k < layers {
			loop.EndEpoch = func() error {
				t.job.Run.Logf("pretraining layer %d (%d -> %d): epoch %d/%d done", k+1, m.Sizes[k], m.Sizes[k+1], t.st.Epoch+1, epochs)
				return nil
			}
		}
		if err := loop.Run(t.job.Ctx, &t.st); err != nil {
			return err
		}
	}
	t.st.Phase = layers
	return nil
}

// unroll copies each encoder weight, transposed, into the decoder layer
// that mirrors it.
func unroll(m *MLP) {
	l := len(m.Enc)
	for k, e := range m.Enc {
		out, in := e.W.Shape[0], e.W.Shape[1]
		dec := m.Dec[l-1-k].W // [in, out]
		for i := range out {
			for j := range in {
				dec.Data[j*out+i] = e.W.Data[i*in+j]
			}
		}
	}
}

// pretrainStep returns the training step of layer k's shallow autoencoder.
func (t *trainer) pretrainStep(m *MLP, k int) func(idx []int) (string, error) {
	layers := len(m.Enc)
	return func(idx []int) (string, error) {
		x := t.batch(idx)
		tp := t.tp
		tp.Reset()
		t.opt.ZeroGrad()
		below := x
		for j := range k {
			below = nets.ReLU(tp, m.Enc[j].Forward(tp, below))
		}
		if k > 0 {
			below = nets.Detach(tp, below)
		}
		h := m.Enc[k].Forward(tp, below)
		if k < layers-1 {
			h = nets.ReLU(tp, h)
		}
		recon := nets.AffineT(tp, h, m.Enc[k].W, m.Dec[layers-1-k].B)
		var loss *nets.Tensor
		if k == 0 {
			loss = nets.BCEWithLogits(tp, recon, x, nets.ReduceSum)
		} else {
			loss = nets.MSE(tp, nets.ReLU(tp, recon), below, nets.ReduceSum)
		}
		loss = nets.MulScalar(tp, loss, 1/float32(len(idx)))
		loss.Backward()
		t.opt.Step()
		if (t.st.Step+1)%10 == 0 {
			t.job.Run.Metric(t.st.Step+1, fmt.Sprintf("losses/pretrain_layer%d", k+1), float64(loss.Item()))
		}
		return fmt.Sprintf("layer %d loss %.3f", k+1, loss.Item()), nil
	}
}
